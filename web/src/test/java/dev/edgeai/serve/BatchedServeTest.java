package dev.edgeai.serve;

import static dev.edgeai.serve.OpenAiServerTest.events;
import static dev.edgeai.serve.OpenAiServerTest.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.engine.EmbeddedBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * serve.java over the embedded engine lets as many requests of a model in as the engine decodes together, and each
 * streamed answer is what that request gets alone (greedy; the GQA fixture's rows are computed row by row, exactly).
 */
class BatchedServeTest {
    static final Path GQA = Path.of("../testdata/models/tiny-graph-capture-gqa");
    static final String ID = "tiny-graph-capture-gqa";
    static final String[] QUESTIONS = {"Hello, my name is", "What is ONNX?", "Tell me a story about a fox.", "Count"};
    /** Long enough that the later requests arrive while the first still decodes. */
    static final int TOKENS = 1200;

    @Test
    void fourStreamedRequestsAreDecodedTogetherAndEachMatchesItsSoloAnswer() throws Exception {
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try (EmbeddedBackend backend = EmbeddedBackend.load(GQA);
                OpenAiServer server = OpenAiServer.builder().port(0).start(backend)) {
            List<String> solo = new ArrayList<>();
            for (String q : QUESTIONS)
                solo.add(backend.chat(ChatRequest.builder(ID)
                                .user(q)
                                .maxTokens(TOKENS)
                                .temperature(0.0)
                                .build())
                        .text());
            List<CompletableFuture<OpenAiServerTest.Resp>> calls = new ArrayList<>();
            for (String q : QUESTIONS)
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return post(
                                        server,
                                        "{\"model\":\"" + ID + "\",\"stream\":true,\"temperature\":0,\"max_tokens\":"
                                                + TOKENS + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + q
                                                + "\"}]}");
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        },
                        clients));
            for (int i = 0; i < QUESTIONS.length; i++) {
                List<String> ev = events(calls.get(i).get(60, TimeUnit.SECONDS).body());
                assertEquals("[DONE]", ev.getLast());
                StringBuilder text = new StringBuilder();
                for (String e : ev.subList(0, ev.size() - 1)) {
                    JsonNode delta = OpenAiServerTest.JSON
                            .readTree(e)
                            .path("choices")
                            .path(0)
                            .path("delta");
                    text.append(delta.path("content").asText(""));
                }
                assertEquals(solo.get(i), text.toString(), "request " + i + " through serve vs alone");
            }
            assertEquals(4, backend.maxBatch(ID));
            assertEquals(4, backend.peakBatch(ID), "the four requests were decoded in one batch");
        } finally {
            clients.shutdownNow();
        }
    }
}
