package dev.edgeai.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What {@code --version} prints for every script: the kit, the ONNX Runtime the embedded engine would load, and the
 * Java running the script. Read from jar metadata, so asking loads no native library.
 */
public final class Versions implements CommandLine.IVersionProvider {
    private final String script;

    public Versions(String script) {
        this.script = script;
    }

    @Override
    public String[] getVersion() {
        return lines(script).toArray(String[]::new);
    }

    public static List<String> lines(String script) {
        String ort = onnxRuntime();
        return List.of(
                script + ": edgeai workshop kit " + kit(),
                ort == null ? "ONNX Runtime: not on this script's class path" : "ONNX Runtime " + ort + " (Java, CPU)",
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /** The version of the installed kit modules (from the jar's Maven metadata), or "dev" for classes not in a jar. */
    public static String kit() {
        try (InputStream in =
                Versions.class.getResourceAsStream("/META-INF/maven/dev.edgeai/edgeai-cli/pom.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    /** The onnxruntime jar's version, without initialising it (that would load its native library); null if absent. */
    public static String onnxRuntime() {
        try {
            Class<?> c = Class.forName("ai.onnxruntime.OrtEnvironment", false, Versions.class.getClassLoader());
            String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
            return v == null ? "(version unknown)" : v;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
