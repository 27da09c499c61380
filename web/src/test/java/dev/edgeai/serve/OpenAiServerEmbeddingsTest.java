package dev.edgeai.serve;

import static dev.edgeai.serve.OpenAiServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.openai.EmbeddingList;
import dev.edgeai.openai.Wire;
import dev.edgeai.retrieval.Embedder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/embeddings} with the library's MiniLM over real HTTP: the vectors are the library's own. */
class OpenAiServerEmbeddingsTest {
    static final String LLAMA = OpenAiServerTest.LLAMA;
    static final List<String> TEXTS = List.of("The NPU runs small models locally.", "Edge AI workshop", "naïve café ☕");

    static EmbeddedBackend backend;
    static OpenAiServer server;
    static final AtomicInteger loads = new AtomicInteger();
    static final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        backend = EmbeddedBackend.load(OpenAiServerTest.MODELS.resolve(LLAMA));
        server = OpenAiServer.builder()
                .port(0)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8))
                .embeddings(EmbeddingsRoutes.MINILM, () -> {
                    loads.incrementAndGet();
                    return Embedder.miniLm();
                })
                .start(backend);
    }

    @AfterAll
    static void stop() {
        server.close();
        backend.close();
    }

    static OpenAiServerTest.Resp post(OpenAiServer s, String path, String body) throws Exception {
        HttpResponse<String> r = OpenAiServerTest.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new OpenAiServerTest.Resp(r.statusCode(), r.headers().map(), r.body());
    }

    static String body(String input, String extra) {
        return "{\"model\":\"" + EmbeddingsRoutes.MINILM + "\",\"input\":" + input + extra + "}";
    }

    @Test
    void floatsAreTheLibrarysVectorsInInputOrder() throws Exception {
        var r = post(server, "/v1/embeddings", body(Wire.toJson(TEXTS), ""));
        assertEquals(200, r.status(), r::body);
        EmbeddingList list = Wire.JSON.readValue(r.body(), EmbeddingList.class);
        assertEquals("list", list.object());
        assertEquals(EmbeddingsRoutes.MINILM, list.model());
        List<float[]> expected = Embedder.miniLm().embedAll(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(i, list.data().get(i).index());
            assertEquals("embedding", list.data().get(i).object());
            float[] got = list.data().get(i).embedding().floats();
            assertEquals(384, got.length);
            assertArrayEquals(expected.get(i), got, "input " + i);
        }
        // the word pieces MiniLM read: at least one per word, fewer than one per character
        int tokens = list.usage().promptTokens();
        int words = String.join(" ", TEXTS).split("\\s+").length;
        assertTrue(tokens >= words && tokens < String.join("", TEXTS).length(), "tokens " + tokens);
        assertEquals(tokens, list.usage().totalTokens());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains(" embeddings 200 3 inputs, " + tokens + " tokens"));
    }

    @Test
    void base64IsTheSameVectorAsLittleEndianFloat32() throws Exception {
        var r = post(server, "/v1/embeddings", body("\"Edge AI workshop\"", ",\"encoding_format\":\"base64\""));
        assertEquals(200, r.status(), r::body);
        JsonNode item = r.json().path("data").get(0);
        assertTrue(item.path("embedding").isTextual(), r.body());
        assertArrayEquals(
                Embedder.miniLm().embed("Edge AI workshop"),
                EmbeddingList.fromBase64(item.path("embedding").asText()));
        assertEquals(
                200,
                post(server, "/v1/embeddings", body("\"x\"", ",\"dimensions\":384"))
                        .status());
    }

    @Test
    void theModelIsListedAndLoadedOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : OpenAiServerTest.get(server, "/v1/models").json().path("data"))
            ids.add(m.path("id").asText() + ":" + m.path("type").asText("chat"));
        assertEquals(List.of(LLAMA + ":chat", EmbeddingsRoutes.MINILM + ":embeddings"), ids);
        JsonNode one = OpenAiServerTest.get(server, "/v1/models/" + EmbeddingsRoutes.MINILM)
                .json();
        assertEquals(EmbeddingsRoutes.MINILM, one.path("id").asText());
        assertEquals("embeddings", one.path("type").asText());
        // this kit's own client (discovery, model_compare) lists only what it can chat with
        assertEquals(
                List.of(LLAMA),
                dev.edgeai.client.OpenAiClient.of(server.baseUrl()).models().stream()
                        .map(dev.edgeai.chat.ModelInfo::id)
                        .toList());
        post(server, "/v1/embeddings", body("\"a\"", ""));
        post(server, "/v1/embeddings", body("\"b\"", ""));
        assertEquals(1, loads.get());
    }

    @Test
    void badRequestsAreClearErrors() throws Exception {
        assertError(post(server, "/v1/embeddings", body("[]", "")), 400, "input", "empty_array");
        assertError(post(server, "/v1/embeddings", body("[[1,2]]", "")), 400, "input[0]", "unsupported_value");
        assertError(
                post(server, "/v1/embeddings", body("\"a\"", ",\"encoding_format\":\"int8\"")),
                400,
                "encoding_format",
                "invalid_value");
        var dims = post(server, "/v1/embeddings", body("\"a\"", ",\"dimensions\":128"));
        assertError(dims, 400, "dimensions", "unsupported_value");
        assertTrue(dims.json().path("error").path("message").asText().contains("384"), dims.body());
        var chatModel = post(server, "/v1/embeddings", "{\"model\":\"" + LLAMA + "\",\"input\":\"a\"}");
        assertError(chatModel, 404, null, "model_not_found");
        assertTrue(chatModel.body().contains(EmbeddingsRoutes.MINILM), chatModel.body());
        var embedChat = OpenAiServerTest.post(
                server,
                "{\"model\":\"" + EmbeddingsRoutes.MINILM + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}");
        assertError(embedChat, 400, "model", "model_not_supported");
        assertTrue(embedChat.body().contains("/v1/embeddings"), embedChat.body());
        assertError(post(server, "/v1/embeddings", "[1]"), 400, null, "invalid_request_body");
    }

    /** The new routes stand behind the same key and the same guard as chat completions. */
    @Test
    void theNewRoutesNeedTheKeyAndRefuseForeignPages() throws Exception {
        try (OpenAiServer keyed = OpenAiServer.builder()
                .port(0)
                .apiKey("sk-local")
                .errorLog(null)
                .miniLmEmbeddings()
                .start(backend)) {
            for (String[] route : List.of(
                    new String[] {"/v1/embeddings", body("\"a\"", "")},
                    new String[] {"/v1/responses", "{\"model\":\"" + LLAMA + "\",\"input\":\"a\"}"})) {
                var base = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + keyed.port() + route[0]))
                        .POST(HttpRequest.BodyPublishers.ofString(route[1]));
                assertEquals(401, send(base.copy().header("Content-Type", "application/json")), route[0]);
                assertEquals(
                        403,
                        send(base.copy()
                                .header("Content-Type", "text/plain")
                                .header("Origin", "http://evil.example")
                                .header("Authorization", "Bearer sk-local")),
                        route[0]);
                assertEquals(
                        200,
                        send(base.copy()
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer sk-local")),
                        route[0]);
            }
        }
    }

    static int send(HttpRequest.Builder b) throws Exception {
        return OpenAiServerTest.HTTP
                .send(b.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** One request embeds at a time; with no room to wait, the next is a 429 with Retry-After, not a pile-up. */
    @Test
    void requestsEmbedOneAtATimeBehindABoundedQueue() throws Exception {
        var started = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        Embedder slow = new Embedder() { // MiniLM's vectors, held back until the test lets it finish
                    @Override
                    public float[] embed(String text) {
                        started.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Embedder.miniLm().embed(text);
                    }

                    @Override
                    public int dimension() {
                        return 384;
                    }

                    @Override
                    public String modelName() {
                        return "held";
                    }
                };
        try (OpenAiServer s = OpenAiServer.builder()
                .port(0)
                .maxQueue(0)
                .errorLog(null)
                .embeddings("held", () -> slow)
                .start(backend)) {
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return post(s, "/v1/embeddings", "{\"model\":\"held\",\"input\":\"a\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS));
            var second = post(s, "/v1/embeddings", "{\"model\":\"held\",\"input\":\"b\"}");
            assertError(second, 429, null, null);
            assertTrue(second.header("Retry-After") != null, second::toString);
            release.countDown();
            assertEquals(
                    200, first.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
            assertEquals(
                    200,
                    post(s, "/v1/embeddings", "{\"model\":\"held\",\"input\":\"c\"}")
                            .status());
        }
    }

    @Test
    void aServerWithoutAnEmbedderHasNoSuchRoute() throws Exception {
        try (OpenAiServer plain = OpenAiServer.builder().port(0).start(backend)) {
            assertEquals(404, post(plain, "/v1/embeddings", body("\"a\"", "")).status());
            for (JsonNode m : OpenAiServerTest.get(plain, "/v1/models").json().path("data"))
                assertEquals(LLAMA, m.path("id").asText());
        }
    }
}
