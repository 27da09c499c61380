package dev.edgeai.engine;

/**
 * Prepares DJL's native-library loader (used by the model tokenizers and by langchain4j's MiniLM) before it first
 * runs, so loading a tokenizer stays offline and quiet.
 *
 * <p>DJL picks which build of its tokenizer library to load by counting CUDA GPUs: it opens libcudart through JNA and
 * asks for the device count. The kit's tokenizers and its ONNX Runtime are CPU builds, so the answer can only make
 * DJL look for a CUDA build of the tokenizer (which it would download). On a machine with the CUDA toolkit but no
 * usable driver the probe also logs "Failed to detect GPU count: CUDA driver version is insufficient" on every
 * tokenizer load. DJL skips opening libcudart when {@code ai.djl.util.cuda.fork} is set while its CudaUtils class
 * initialises; the property is cleared again at once, so later GPU counts find no library and answer 0 without
 * forking the helper process that property otherwise asks for.
 */
public final class DjlNatives {
    private static boolean prepared;

    private DjlNatives() {}

    /** Idempotent; a no-op for settings the user made (system properties or environment). */
    public static synchronized void prepare() {
        if (prepared) return;
        prepared = true;
        // DJL phones home for usage tracking unless told not to; the workshop must work offline.
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null)
            System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("ai.djl.util.cuda.fork") != null) return;
        System.setProperty("ai.djl.util.cuda.fork", "true");
        try {
            Class.forName("ai.djl.util.cuda.CudaUtils", true, DjlNatives.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError noDjl) {
            // DJL is not on the class path: nothing will probe
        } finally {
            System.clearProperty("ai.djl.util.cuda.fork");
        }
    }
}
