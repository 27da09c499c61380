package dev.edgeai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.openai.Wire;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server over the embedded engine with the fixture models, spoken to in raw HTTP on a random port: the wire
 * shapes, every kind of bad request, keys, CORS, concurrent streams and a client that hangs up mid-stream.
 */
class OpenAiServerTest {
    static final Path MODELS = Path.of("../testdata/models");
    static final String LLAMA = "tiny-random-LlamaForCausalLM-fp16";
    static final String GQA = "tiny-graph-capture-gqa";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static EmbeddedBackend backend;
    static OpenAiServer server;

    @BeforeAll
    static void start() {
        backend = EmbeddedBackend.load(MODELS.resolve(LLAMA), MODELS.resolve(GQA));
        server = OpenAiServer.builder().port(0).alias("tiny", LLAMA).start(backend);
    }

    @AfterAll
    static void stop() {
        server.close();
        backend.close();
    }

    record Resp(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of()).stream()
                    .findFirst()
                    .orElse(null);
        }
    }

    static Resp get(OpenAiServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .GET();
        if (headers.length > 0) b.headers(headers);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r.headers().map(), r.body());
    }

    static Resp post(OpenAiServer s, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + s.port() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!List.of(headers).contains("Content-Type")) b.header("Content-Type", "application/json");
        if (headers.length > 0) b.headers(headers);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r.headers().map(), r.body());
    }

    static String chat(String model, int maxTokens, String extra) {
        return "{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, my name is\"}],\"max_tokens\":" + maxTokens
                + ",\"temperature\":0" + extra + "}";
    }

    /** The data lines of an SSE body, without the "data: " prefix. */
    static List<String> events(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\n")) if (line.startsWith("data: ")) out.add(line.substring(6));
        return out;
    }

    static void assertError(Resp r, int status, String param, String code) throws Exception {
        assertEquals(status, r.status(), r::body);
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        JsonNode e = r.json().path("error");
        assertTrue(e.isObject(), r.body());
        assertFalse(e.path("message").asText().isBlank(), r.body());
        assertTrue(e.has("type") && e.has("param") && e.has("code"), r.body());
        if (param != null) assertEquals(param, e.path("param").asText(), r.body());
        if (code != null) assertEquals(code, e.path("code").asText(), r.body());
    }

    @Test
    void listsModelsAndAliasesAndGetsOne() throws Exception {
        Resp r = get(server, "/v1/models");
        assertEquals(200, r.status());
        assertEquals("serve.java", r.header(Wire.SERVER_HEADER));
        JsonNode j = r.json();
        assertEquals("list", j.path("object").asText());
        List<String> ids = new ArrayList<>();
        for (JsonNode m : j.path("data")) {
            ids.add(m.path("id").asText());
            assertEquals("model", m.path("object").asText());
            assertTrue(
                    m.path("created").isIntegralNumber() && m.path("owned_by").isTextual(), m.toString());
        }
        assertEquals(List.of(LLAMA, GQA, "tiny"), ids);
        Resp one = get(server, "/v1/models/" + GQA);
        assertEquals(GQA, one.json().path("id").asText());
        assertEquals(
                LLAMA, get(server, "/v1/models/tiny").json().path("alias_of").asText());
        assertError(get(server, "/v1/models/gpt-5"), 404, null, "model_not_found");
        Resp health = get(server, "/health");
        assertEquals("ok", health.json().path("status").asText());
    }

    @Test
    void blockingCompletionHasTheOfficialShapeAndExactUsage() throws Exception {
        Resp r = post(
                server,
                chat("tiny", 8, ",\"foo\":{\"bar\":1},\"user\":\"x\",\"frequency_penalty\":0,\"stream\":false"));
        assertEquals(200, r.status(), r.body());
        JsonNode j = r.json();
        assertTrue(j.path("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", j.path("object").asText());
        assertEquals(LLAMA, j.path("model").asText(), "the alias resolves to the served id");
        JsonNode c = j.path("choices").get(0);
        assertEquals(0, c.path("index").asInt());
        assertEquals("assistant", c.path("message").path("role").asText());
        assertFalse(c.path("message").path("content").asText().isEmpty());
        assertEquals("length", c.path("finish_reason").asText());
        assertEquals(8, j.path("usage").path("completion_tokens").asInt());
        int prompt = j.path("usage").path("prompt_tokens").asInt();
        assertTrue(prompt > 0);
        assertEquals(prompt + 8, j.path("usage").path("total_tokens").asInt());
    }

    @Test
    void streamingChunksMatchTheBlockingAnswerAndEndWithUsageAndDone() throws Exception {
        String blocking = post(server, chat(LLAMA, 12, ""))
                .json()
                .path("choices")
                .get(0)
                .path("message")
                .path("content")
                .asText();
        Resp r = post(server, chat(LLAMA, 12, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
        List<String> ev = events(r.body());
        assertEquals("[DONE]", ev.getLast());
        JsonNode first = JSON.readTree(ev.getFirst());
        assertEquals("chat.completion.chunk", first.path("object").asText());
        assertEquals(
                "assistant",
                first.path("choices").get(0).path("delta").path("role").asText());
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        for (String e : ev.subList(0, ev.size() - 1)) {
            JsonNode ch = JSON.readTree(e);
            assertEquals(first.path("id").asText(), ch.path("id").asText(), "one id for every chunk");
            assertTrue(ch.has("usage"), "include_usage puts usage (null) on every chunk");
            if (ch.path("choices").isEmpty()) {
                usage = ch.path("usage");
                continue;
            }
            assertNull(usage, "the usage chunk comes last");
            JsonNode choice = ch.path("choices").get(0);
            text.append(choice.path("delta").path("content").asText(""));
            if (!choice.path("finish_reason").isNull())
                finish = choice.path("finish_reason").asText();
        }
        assertEquals(blocking, text.toString());
        assertEquals("length", finish);
        assertNotNull(usage);
        assertEquals(12, usage.path("completion_tokens").asInt());
        // Without stream_options no usage chunk and no usage field.
        List<String> plain =
                events(post(server, chat(GQA, 5, ",\"stream\":true")).body());
        assertEquals("[DONE]", plain.getLast());
        for (String e : plain.subList(0, plain.size() - 1)) {
            JsonNode ch = JSON.readTree(e);
            assertFalse(ch.has("usage"), e);
            assertEquals(1, ch.path("choices").size(), e);
        }
    }

    @Test
    void stopStringsEndTheAnswerBeforeThemAndPartsArraysAndDeveloperRoleAreRead() throws Exception {
        String full = post(server, chat(LLAMA, 24, ""))
                .json()
                .path("choices")
                .get(0)
                .path("message")
                .path("content")
                .asText();
        String stop = full.substring(6, 9);
        String expected = full.substring(0, full.indexOf(stop));
        String body = "{\"model\":\"" + LLAMA + "\",\"max_tokens\":24,\"temperature\":0,\"stop\":[\"\\u0000never\",\""
                + JSON.writeValueAsString(stop).replaceAll("^\"|\"$", "") + "\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello, my name is\"}]}]}";
        JsonNode j = post(server, body).json();
        assertEquals(
                expected,
                j.path("choices").get(0).path("message").path("content").asText(),
                j::toString);
        assertEquals("stop", j.path("choices").get(0).path("finish_reason").asText());
        // a single string works too, and a system ("developer") message changes the prompt
        JsonNode one = post(server, chat(LLAMA, 24, ",\"stop\":" + JSON.writeValueAsString(stop)))
                .json();
        assertEquals(
                expected,
                one.path("choices").get(0).path("message").path("content").asText());
        String dev = "{\"model\":\"" + LLAMA
                + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"developer\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello, my name is\"}]}";
        JsonNode d = post(server, dev).json();
        assertTrue(
                d.path("usage").path("prompt_tokens").asInt()
                        > one.path("usage").path("prompt_tokens").asInt(),
                d::toString);
    }

    @Test
    void badRequestsGetOpenAiErrorsAndTheServerKeepsServing() throws Exception {
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertError(post(server, "{\"model\": \"tiny\", "), 400, null, "invalid_json");
        assertError(post(server, "[1,2]"), 400, null, "invalid_request_body");
        assertError(post(server, ""), 400, null, "invalid_request_body");
        assertError(post(server, "{" + msgs + "}"), 400, "model", "missing_required_parameter");
        assertError(post(server, "{\"model\":\"tiny\"}"), 400, "messages", "missing_required_parameter");
        assertError(post(server, "{\"model\":\"tiny\",\"messages\":[]}"), 400, "messages", "empty_array");
        assertError(post(server, "{\"model\":\"tiny\",\"messages\":\"hi\"}"), 400, "messages", "invalid_type");
        assertError(post(server, "{\"model\":42," + msgs + "}"), 400, "model", "invalid_type");
        assertError(
                post(server, "{\"model\":\"tiny\"," + msgs + ",\"temperature\":\"hot\"}"),
                400,
                "temperature",
                "invalid_type");
        assertError(
                post(server, "{\"model\":\"tiny\"," + msgs + ",\"temperature\":3}"),
                400,
                "temperature",
                "decimal_above_max_value");
        assertError(
                post(server, "{\"model\":\"tiny\"," + msgs + ",\"max_tokens\":0}"),
                400,
                "max_tokens",
                "integer_below_min_value");
        assertError(
                post(server, "{\"model\":\"tiny\"," + msgs + ",\"max_tokens\":2.5}"),
                400,
                "max_tokens",
                "invalid_type");
        assertError(
                post(server, "{\"model\":\"tiny\"," + msgs + ",\"stream\":\"yes\"}"), 400, "stream", "invalid_type");
        assertError(post(server, "{\"model\":\"tiny\"," + msgs + ",\"stop\":[1]}"), 400, "stop[0]", "invalid_type");
        assertError(post(server, "{\"model\":\"tiny\"," + msgs + ",\"n\":2}"), 400, "n", "unsupported_value");
        assertError(
                post(
                        server,
                        "{\"model\":\"tiny\"," + msgs
                                + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}"),
                400,
                "tools",
                "unsupported_value");
        assertError(
                post(
                        server,
                        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is this\"},"
                                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}"),
                400,
                "messages[0].content[1]",
                "unsupported_content");
        assertError(
                post(server, "{\"model\":\"tiny\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"),
                400,
                "messages[0].role",
                "unsupported_value");
        assertError(
                post(server, "{\"model\":\"tiny\",\"messages\":[{\"content\":\"x\"}]}"),
                400,
                "messages[0].role",
                "missing_required_parameter");
        assertError(
                post(server, "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\"}]}"),
                400,
                "messages[0].content",
                "missing_required_parameter");
        Resp unknown = post(server, "{\"model\":\"llama-70b\"," + msgs + "}");
        assertError(unknown, 404, null, "model_not_found");
        assertTrue(unknown.json().path("error").path("message").asText().contains(LLAMA), unknown.body());
        assertError(
                post(server, "{\"model\":\"tiny\"," + msgs + "}", "Content-Type", "text/plain"),
                415,
                null,
                "unsupported_media_type");
        String huge =
                "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(5 << 20) + "\"}]}";
        assertError(post(server, huge), 413, null, "request_too_large");
        assertError(get(server, "/v2/engines"), 404, null, "unknown_route");
        Resp wrongMethod = get(server, "/v1/chat/completions");
        assertError(wrongMethod, 405, null, "method_not_allowed");
        assertEquals("POST", wrongMethod.header("allow"));
        // a prompt longer than the model's context is the client's fault, said as such
        String longPrompt =
                "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "hello ".repeat(3000) + "\"}]}";
        assertError(post(server, longPrompt), 400, "messages", null);
        // still serving
        assertEquals(200, post(server, chat("tiny", 2, "")).status());
        assertTrue(server.recent().stream().anyMatch(r -> r.status() == 413));
    }

    @Test
    void apiKeyIsRequiredOnV1RoutesOnly() throws Exception {
        try (OpenAiServer keyed =
                OpenAiServer.builder().port(0).apiKey("sekret").start(backend)) {
            assertError(get(keyed, "/v1/models"), 401, null, "missing_api_key");
            assertError(get(keyed, "/v1/models", "Authorization", "Bearer wrong"), 401, null, "invalid_api_key");
            assertError(post(keyed, chat(LLAMA, 2, ""), "Authorization", "Bearer wrong"), 401, null, "invalid_api_key");
            assertEquals(
                    200,
                    get(keyed, "/v1/models", "Authorization", "Bearer sekret").status());
            assertEquals(
                    200,
                    post(keyed, chat(LLAMA, 2, ""), "Authorization", "Bearer sekret")
                            .status());
            assertEquals(200, get(keyed, "/health").status());
        }
    }

    @Test
    void corsHeadersOnlyWhenAskedFor() throws Exception {
        assertNull(get(server, "/v1/models", "Origin", "http://localhost:3000").header("access-control-allow-origin"));
        try (OpenAiServer cors =
                OpenAiServer.builder().port(0).cors("http://localhost:3000").start(backend)) {
            HttpRequest pre = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + cors.port() + "/v1/chat/completions"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://localhost:3000")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type")
                    .build();
            HttpResponse<String> r = HTTP.send(pre, HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
            assertEquals(
                    "http://localhost:3000",
                    r.headers().firstValue("access-control-allow-origin").orElse(null));
            assertTrue(r.headers()
                    .firstValue("access-control-allow-headers")
                    .orElse("")
                    .contains("authorization"));
            assertEquals(
                    "http://localhost:3000",
                    get(cors, "/v1/models", "Origin", "http://localhost:3000").header("access-control-allow-origin"));
            assertNull(get(cors, "/v1/models", "Origin", "http://evil.example").header("access-control-allow-origin"));
        }
    }

    @Test
    void twentyConcurrentStreamsAllComplete() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<Resp>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String model = i % 2 == 0 ? LLAMA : GQA;
                all.add(pool.submit(() ->
                        post(server, chat(model, 16, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"))));
            }
            for (Future<Resp> f : all) {
                Resp r = f.get();
                assertEquals(200, r.status(), r.body());
                List<String> ev = events(r.body());
                assertEquals("[DONE]", ev.getLast());
                assertEquals(
                        16,
                        JSON.readTree(ev.get(ev.size() - 2))
                                .path("usage")
                                .path("completion_tokens")
                                .asInt());
            }
        }
    }

    @Test
    void aClientThatHangsUpStopsItsGenerationAndOthersAreUnaffected() throws Exception {
        String body = "{\"model\":\"" + LLAMA + "\",\"stream\":true,\"max_tokens\":1900,\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        String id;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(
                    ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("\"content\":\"")) {
                /* headers, role chunk */
            }
            assertNotNull(line);
            while ((line = in.readLine()) != null && !line.contains("\"delta\":{\"content\"")) {
                /* the first token */
            }
            assertNotNull(line);
            id = JSON.readTree(line.substring(line.indexOf('{'))).path("id").asText();
        } // hang up after the first token
        Resp other = post(server, chat(LLAMA, 10, ",\"stream\":true"));
        assertEquals("[DONE]", events(other.body()).getLast(), "another request on the same model completes");
        OpenAiServer.RequestRecord rec = awaitRecord(server, id);
        assertEquals(FinishReason.CANCELLED, rec.finishReason(), rec::toString);
        assertTrue(rec.completionTokens() < 1900, rec::toString);
    }

    static OpenAiServer.RequestRecord awaitRecord(OpenAiServer s, String id) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var r = s.recent().stream().filter(x -> id.equals(x.id())).findFirst();
            if (r.isPresent()) return r.get();
            Thread.sleep(10);
        }
        throw new AssertionError("no record of " + id + " in " + s.recent());
    }
}
