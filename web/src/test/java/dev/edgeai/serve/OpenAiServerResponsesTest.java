package dev.edgeai.serve;

import static dev.edgeai.serve.OpenAiServerEmbeddingsTest.post;
import static dev.edgeai.serve.OpenAiServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.engine.EmbeddedBackend;
import dev.edgeai.openai.Wire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/responses} over the embedded engine with a fixture model: the same greedy text as chat
 * completions, the streamed events in OpenAI's order, conversations continued by previous_response_id, and errors.
 */
class OpenAiServerResponsesTest {
    static final String LLAMA = OpenAiServerTest.LLAMA;

    static EmbeddedBackend backend;
    static OpenAiServer server;

    @BeforeAll
    static void start() {
        backend = EmbeddedBackend.load(OpenAiServerTest.MODELS.resolve(LLAMA));
        server = OpenAiServer.builder().port(0).alias("tiny", LLAMA).start(backend);
    }

    @AfterAll
    static void stop() {
        server.close();
        backend.close();
    }

    static JsonNode chat(String messages, int maxTokens) throws Exception {
        var r = OpenAiServerTest.post(
                server,
                "{\"model\":\"tiny\",\"messages\":" + messages + ",\"max_tokens\":" + maxTokens
                        + ",\"temperature\":0}");
        assertEquals(200, r.status(), r::body);
        return r.json();
    }

    static OpenAiServerTest.Resp respond(String fields) throws Exception {
        return post(server, "/v1/responses", "{\"model\":\"tiny\"," + fields + "}");
    }

    @Test
    void blockingIsTheGreedyChatAnswer() throws Exception {
        JsonNode c =
                chat("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello\"}]", 8);
        var r = respond("\"input\":\"Hello\",\"instructions\":\"Be brief.\",\"max_output_tokens\":8,\"temperature\":0");
        assertEquals(200, r.status(), r::body);
        JsonNode j = r.json();
        assertTrue(j.path("id").asText().startsWith("resp_"), r.body());
        assertEquals("response", j.path("object").asText());
        assertEquals(LLAMA, j.path("model").asText());
        assertEquals("Be brief.", j.path("instructions").asText());
        JsonNode item = j.path("output").get(0);
        assertEquals("message", item.path("type").asText());
        assertEquals("assistant", item.path("role").asText());
        assertTrue(item.path("id").asText().startsWith("msg_"), r.body());
        assertEquals(
                c.path("choices").get(0).path("message").path("content").asText(),
                item.path("content").get(0).path("text").asText());
        String finish = c.path("choices").get(0).path("finish_reason").asText();
        assertEquals(
                finish.equals("length") ? "incomplete" : "completed",
                j.path("status").asText(),
                r.body());
        if (finish.equals("length"))
            assertEquals(
                    "max_output_tokens",
                    j.path("incomplete_details").path("reason").asText());
        JsonNode usage = j.path("usage");
        assertEquals(
                c.path("usage").path("prompt_tokens").asInt(),
                usage.path("input_tokens").asInt());
        assertEquals(
                c.path("usage").path("completion_tokens").asInt(),
                usage.path("output_tokens").asInt());
        assertEquals(
                usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt(),
                usage.path("total_tokens").asInt());
        var rec = server.recent().stream()
                .filter(x -> x.id().equals(j.path("id").asText()))
                .findFirst()
                .orElseThrow();
        assertEquals(200, rec.status());
        assertFalse(rec.stream());
    }

    @Test
    void streamedEventsAddUpToTheBlockingAnswer() throws Exception {
        String blocking = respond("\"input\":\"Hello\",\"max_output_tokens\":12,\"temperature\":0")
                .json()
                .path("output")
                .get(0)
                .path("content")
                .get(0)
                .path("text")
                .asText();
        var r = respond("\"input\":\"Hello\",\"max_output_tokens\":12,\"temperature\":0,\"stream\":true");
        assertEquals(200, r.status(), r::body);
        assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        for (String event : r.body().split("\n\n")) {
            String[] lines = event.split("\n");
            JsonNode data = Wire.JSON.readTree(lines[1].substring(6));
            assertEquals("event: " + data.path("type").asText(), lines[0]);
            assertEquals(types.size(), data.path("sequence_number").asInt());
            types.add(data.path("type").asText());
            if (data.has("delta")) text.append(data.path("delta").asText());
            last = data;
        }
        assertEquals(
                List.of(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added"),
                types.subList(0, 4));
        assertTrue(
                types.subList(4, types.size() - 4).stream().allMatch("response.output_text.delta"::equals),
                types::toString);
        assertEquals(blocking, text.toString());
        assertTrue(List.of("response.completed", "response.incomplete")
                .contains(last.path("type").asText()));
        assertEquals(
                12, last.path("response").path("usage").path("output_tokens").asInt(), last::toString);
        assertEquals(
                blocking,
                last.path("response")
                        .path("output")
                        .get(0)
                        .path("content")
                        .get(0)
                        .path("text")
                        .asText());
    }

    @Test
    void previousResponseIdContinuesTheConversation() throws Exception {
        JsonNode first = respond("\"input\":\"My name is Ada.\",\"instructions\":\"Be kind.\",\"max_output_tokens\":6,"
                        + "\"temperature\":0")
                .json();
        String answer =
                first.path("output").get(0).path("content").get(0).path("text").asText();
        var second = respond(
                "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"And yours?\"}]}],"
                        + "\"previous_response_id\":\"" + first.path("id").asText()
                        + "\",\"max_output_tokens\":6,\"temperature\":0");
        assertEquals(200, second.status(), second::body);
        assertEquals(
                first.path("id").asText(),
                second.json().path("previous_response_id").asText());
        // instructions are not carried over (as at OpenAI): the same as this chat without a system message
        JsonNode c = chat(
                "[{\"role\":\"user\",\"content\":\"My name is Ada.\"},{\"role\":\"assistant\",\"content\":"
                        + Wire.toJson(answer) + "},{\"role\":\"user\",\"content\":\"And yours?\"}]",
                6);
        assertEquals(
                c.path("usage").path("prompt_tokens").asInt(),
                second.json().path("usage").path("input_tokens").asInt());
        assertEquals(
                c.path("choices").get(0).path("message").path("content").asText(),
                second.json()
                        .path("output")
                        .get(0)
                        .path("content")
                        .get(0)
                        .path("text")
                        .asText());
    }

    @Test
    void unknownOrUnstoredPreviousResponsesAreRefused() throws Exception {
        assertError(
                respond("\"input\":\"a\",\"previous_response_id\":\"resp_nope\""),
                400,
                "previous_response_id",
                "previous_response_not_found");
        String id = respond("\"input\":\"a\",\"max_output_tokens\":2,\"store\":false")
                .json()
                .path("id")
                .asText();
        assertError(
                respond("\"input\":\"a\",\"previous_response_id\":\"" + id + "\""),
                400,
                "previous_response_id",
                "previous_response_not_found");
    }

    @Test
    void toolsImagesAndUnknownModelsAreClearErrors() throws Exception {
        var tools = respond("\"input\":\"a\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"}]");
        assertError(tools, 400, "tools", "unsupported_value");
        assertTrue(tools.json().path("error").path("message").asText().contains("no tool calling"), tools.body());
        var image =
                respond("\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"x\"}]}]");
        assertError(image, 400, "input[0].content[0]", "unsupported_content");
        assertTrue(image.json().path("error").path("message").asText().contains("no images"), image.body());
        assertError(
                post(server, "/v1/responses", "{\"model\":\"nope\",\"input\":\"a\"}"), 404, null, "model_not_found");
        assertError(post(server, "/v1/responses", "{\"model\":\"tiny\""), 400, null, "invalid_json");
    }

    @Test
    void aBackendFailureIsAnErrorEventThenResponseFailed() throws Exception {
        var backend = new OpenAiServerFinishTest.Ending();
        backend.reason = FinishReason.ERROR;
        try (OpenAiServer s = OpenAiServer.builder().port(0).start(backend)) {
            assertError(post(s, "/v1/responses", "{\"model\":\"m\",\"input\":\"hi\"}"), 500, null, "backend_error");
            String body = post(s, "/v1/responses", "{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}")
                    .body();
            String[] events = body.split("\n\n");
            assertTrue(events[events.length - 2].startsWith("event: error\ndata: {\"type\":\"error\""), body);
            JsonNode error = Wire.JSON.readTree(events[events.length - 2].split("\n")[1].substring(6));
            assertEquals("backend_error", error.path("code").asText());
            JsonNode failed = Wire.JSON.readTree(events[events.length - 1].split("\n")[1].substring(6));
            assertEquals("response.failed", failed.path("type").asText());
            assertEquals("failed", failed.path("response").path("status").asText());
            assertEquals(
                    "backend_error",
                    failed.path("response").path("error").path("code").asText());
            assertFalse(body.contains("response.completed"), body);
        }
    }
}
