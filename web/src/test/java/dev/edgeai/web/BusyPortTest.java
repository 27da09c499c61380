package dev.edgeai.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.serve.OpenAiServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port someone else took between the scripts' start-up check and the bind (two servers started together) is still
 * one line naming the address and what to do, never Jetty's stack trace; the failed server leaves nothing running.
 */
class BusyPortTest {
    static final Path LLAMA = Path.of("../testdata/models/tiny-random-LlamaForCausalLM-fp16");

    @Test
    void bothServersSayTheirPortIsTakenInOneLine(@TempDir Path tmp) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                EmbeddedBackend backend = EmbeddedBackend.load(LLAMA)) {
            int port = taken.getLocalPort();
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> OpenAiServer.builder().port(port).start(backend));
            assertEquals(
                    "cannot listen on 127.0.0.1:" + port + " (the port is in use): is another serve.java running?"
                            + " Stop it, or pass --port 0 for any free port (or another --port)",
                    e.getMessage());

            Path docs = Files.createDirectories(tmp.resolve("docs"));
            Files.writeString(docs.resolve("a.md"), "# A\nSmall language models run on laptops.\n");
            Retriever retriever =
                    Retriever.open(docs, Retriever.Options.defaults().withMode(dev.edgeai.retrieval.Mode.BM25));
            var cfg = RagChatApp.Config.defaults(tmp.resolve("data"))
                    .withPort(port)
                    .withModel(backend.models().get(0).id());
            e = assertThrows(IllegalStateException.class, () -> RagChatApp.start(backend, retriever, cfg));
            assertTrue(
                    e.getMessage()
                            .startsWith("cannot listen on 127.0.0.1:" + port
                                    + " (the port is in use): is another rag_chat running?"),
                    e.getMessage());
        }
    }
}
