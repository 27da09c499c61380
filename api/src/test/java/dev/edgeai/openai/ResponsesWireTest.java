package dev.edgeai.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The Responses API: bodies → chat requests, results → responses, and the event stream in its order. */
class ResponsesWireTest {
    static ResponseRequest parse(String json) throws Exception {
        return ResponseRequest.parse(Wire.JSON.readTree(json));
    }

    static Stream<Arguments> readable() {
        List<ChatMessage> none = List.of();
        List<ChatMessage> before = List.of(ChatMessage.user("one"), ChatMessage.assistant("two"));
        return Stream.of(
                Arguments.of("{\"model\":\"m\",\"input\":\"hi\"}", none, ChatRequest.of("m", "hi")),
                Arguments.of(
                        "{\"model\":\"m\",\"input\":\"hi\",\"instructions\":\"be brief\",\"max_output_tokens\":9,"
                                + "\"temperature\":0.5,\"top_p\":0.9,\"store\":false,\"metadata\":{\"a\":\"b\"},"
                                + "\"tools\":[],\"tool_choice\":\"auto\",\"text\":{\"format\":{\"type\":\"text\"}},"
                                + "\"include\":[],\"truncation\":\"disabled\",\"user\":\"u\",\"top_logprobs\":0}",
                        none,
                        ChatRequest.builder("m")
                                .system("be brief")
                                .user("hi")
                                .maxTokens(9)
                                .temperature(0.5)
                                .topP(0.9)
                                .build()),
                Arguments.of(
                        "{\"model\":\"m\",\"input\":[{\"role\":\"developer\",\"content\":\"sys\"},"
                                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                                + "\"text\":\"a\"},{\"type\":\"input_text\",\"text\":\"b\"}]},"
                                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"c\"}]},"
                                + "{\"role\":\"user\",\"content\":\"d\"}]}",
                        none,
                        ChatRequest.builder("m")
                                .system("sys")
                                .user("a\nb")
                                .assistant("c")
                                .user("d")
                                .build()),
                Arguments.of(
                        "{\"model\":\"m\",\"input\":\"three\",\"instructions\":\"new\",\"previous_response_id\":\"r\"}",
                        before,
                        ChatRequest.builder("m")
                                .system("new")
                                .user("one")
                                .assistant("two")
                                .user("three")
                                .build()));
    }

    @ParameterizedTest
    @MethodSource("readable")
    void readsWhatClientsSend(String json, List<ChatMessage> previous, ChatRequest expected) throws Exception {
        assertEquals(expected, Responses.fromRequest(parse(json), previous));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"input\":\"a\"}|model|missing_required_parameter",
                "{\"model\":\"m\"}|input|missing_required_parameter",
                "{\"model\":\"m\",\"input\":[]}|input|empty_array",
                "{\"model\":\"m\",\"input\":7}|input|invalid_type",
                "{\"model\":\"m\",\"input\":[\"hi\"]}|input[0]|invalid_type",
                "{\"model\":\"m\",\"input\":[{\"content\":\"x\"}]}|input[0].role|missing_required_parameter",
                "{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}|input[0].role|invalid_value",
                "{\"model\":\"m\",\"input\":[{\"role\":\"user\"}]}|input[0].content|missing_required_parameter",
                "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\"}]}|input[0].type|unsupported_value",
                "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}|input[0].type|unsupported_value",
                "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"x\"}]}]}|input[0].content[0]|unsupported_content",
                "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\"}]}]}|input[0].content[0]|unsupported_content",
                "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}|input[0].content[0].text|invalid_type",
                "{\"model\":\"m\",\"input\":\"a\",\"tools\":[{\"type\":\"web_search\"}]}|tools|unsupported_value",
                "{\"model\":\"m\",\"input\":\"a\",\"tool_choice\":\"required\"}|tool_choice|unsupported_value",
                "{\"model\":\"m\",\"input\":\"a\",\"text\":{\"format\":{\"type\":\"json_schema\"}}}|text.format|unsupported_value",
                "{\"model\":\"m\",\"input\":\"a\",\"reasoning\":{\"effort\":\"low\"}}|reasoning|unsupported_value",
                "{\"model\":\"m\",\"input\":\"a\",\"include\":[\"reasoning.encrypted_content\"]}|include|unsupported_value",
                "{\"model\":\"m\",\"input\":\"a\",\"background\":true}|background|unsupported_value",
                "{\"model\":\"m\",\"input\":\"a\",\"top_logprobs\":2}|top_logprobs|unsupported_value",
                "{\"model\":\"m\",\"input\":\"a\",\"max_output_tokens\":0}|max_output_tokens|integer_below_min_value",
                "{\"model\":\"m\",\"input\":\"a\",\"temperature\":3}|temperature|decimal_above_max_value",
                "{\"model\":\"m\",\"input\":\"a\",\"top_p\":0}|top_p|invalid_value",
                "{\"model\":\"m\",\"input\":\"a\",\"previous_response_id\":5}|previous_response_id|invalid_type",
                "{\"model\":\"m\",\"input\":\"a\",\"stream\":\"yes\"}|stream|invalid_type",
            })
    void refusesWhatItCannotDo(String json, String param, String code) {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> parse(json));
        assertEquals(param, e.param(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void anEmptyInputMayContinueAStoredConversation() throws Exception {
        var r = parse("{\"model\":\"m\",\"input\":[],\"previous_response_id\":\"resp_1\"}");
        assertEquals(List.of(), r.input());
        assertEquals("resp_1", r.previousResponseId());
    }

    @Test
    void theStoredConversationHasNoInstructionsAndEndsWithTheAnswer() throws Exception {
        var r = parse("{\"model\":\"m\",\"instructions\":\"sys\",\"input\":\"b\"}");
        assertEquals(
                List.of(
                        ChatMessage.user("a"),
                        ChatMessage.assistant("x"),
                        ChatMessage.user("b"),
                        ChatMessage.assistant("y")),
                Responses.conversation(r, List.of(ChatMessage.user("a"), ChatMessage.assistant("x")), "y"));
    }

    static ChatResult result(String text, FinishReason f) {
        return new ChatResult("m1", text, f, new Usage(5, 3, false), null);
    }

    @Test
    void aFinishedResponseAsTheSdksReadIt() throws Exception {
        var r = parse("{\"model\":\"alias\",\"input\":\"hi\",\"max_output_tokens\":3}");
        JsonNode done =
                Wire.JSON.valueToTree(Responses.done("resp_1", 100, "msg_1", r, result("Hello", FinishReason.STOP)));
        assertEquals("resp_1", done.get("id").asText());
        assertEquals("response", done.get("object").asText());
        assertEquals(100, done.get("created_at").asLong());
        assertEquals("completed", done.get("status").asText());
        assertTrue(done.get("error").isNull() && done.get("incomplete_details").isNull());
        assertEquals("m1", done.get("model").asText());
        JsonNode item = done.get("output").get(0);
        assertEquals("message", item.get("type").asText());
        assertEquals("msg_1", item.get("id").asText());
        assertEquals("assistant", item.get("role").asText());
        assertEquals("output_text", item.get("content").get(0).get("type").asText());
        assertEquals("Hello", item.get("content").get(0).get("text").asText());
        assertTrue(item.get("content").get(0).get("annotations").isArray());
        assertEquals(
                "{\"input_tokens\":5,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":3,"
                        + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":8}",
                done.get("usage").toString());
        assertEquals(3, done.get("max_output_tokens").asInt());

        JsonNode cut =
                Wire.JSON.valueToTree(Responses.done("resp_2", 100, "msg_2", r, result("Hel", FinishReason.LENGTH)));
        assertEquals("incomplete", cut.get("status").asText());
        assertEquals(
                "max_output_tokens", cut.get("incomplete_details").get("reason").asText());
    }

    /** The events in OpenAI's order, numbered from 0, each named after its type; the deltas add up to the text. */
    @Test
    void theStreamInOrder() throws Exception {
        var r = parse("{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}");
        var out = new ByteArrayOutputStream();
        var s = new ResponseStream(new SseWriter(out), Responses.inProgress("resp_1", 100, "m1", r), "msg_1");
        s.delta("Hel");
        s.delta("lo\n");
        s.finish(Responses.done("resp_1", 100, "msg_1", r, result("Hello\n", FinishReason.STOP)));
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        int i = 0;
        for (String event : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
            String[] lines = event.split("\n");
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: ") && lines.length == 2, event);
            JsonNode data = Wire.JSON.readTree(lines[1].substring(6));
            assertEquals(lines[0].substring(7), data.get("type").asText());
            assertEquals(i++, data.get("sequence_number").asInt());
            types.add(data.get("type").asText());
            if (data.has("delta")) text.append(data.get("delta").asText());
            last = data;
        }
        assertEquals(
                List.of(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.output_text.delta",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed"),
                types);
        assertEquals("Hello\n", text.toString());
        assertEquals(8, last.get("response").get("usage").get("total_tokens").asInt());
    }

    /** The hand-built delta event is the record's JSON, byte for byte, whatever the text holds. */
    @Test
    void deltasAreTheRecordsJson() throws Exception {
        var r = parse("{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}");
        List<String> pieces =
                List.of("Hel", "\"quoted\"", "line\nbreak\r\n", "tab\t\u0001\u001f", "é ☕ 😀", "\\", "</script>", "");
        var out = new ByteArrayOutputStream();
        var s = new ResponseStream(new SseWriter(out), Responses.inProgress("resp_1", 100, "m1", r), "msg_\"1");
        s.begin();
        out.reset();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            s.delta(pieces.get(i));
            expected.append("event: response.output_text.delta\ndata: ")
                    .append(Wire.toJson(new ResponseEvent.TextDelta(
                            "response.output_text.delta", 4 + i, "msg_\"1", 0, 0, pieces.get(i), List.of())))
                    .append("\n\n");
        }
        assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8));
        assertEquals(String.join("", pieces), s.text());
    }

    @Test
    void aFailureMidStreamIsAnErrorEventThenResponseFailed() throws Exception {
        var r = parse("{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}");
        var out = new ByteArrayOutputStream();
        var s = new ResponseStream(new SseWriter(out), Responses.inProgress("resp_1", 100, "m1", r), "msg_1");
        s.delta("Hel");
        s.error("timeout", "too slow", null, Responses.failed("resp_1", 100, "m1", r, "timeout", "too slow"));
        String[] events = out.toString(StandardCharsets.UTF_8).split("\n\n");
        assertTrue(
                events[events.length - 2].startsWith("event: error\ndata: {\"type\":\"error\",\"sequence_number\":5,"
                        + "\"code\":\"timeout\",\"message\":\"too slow\",\"param\":null}"),
                events[events.length - 2]);
        JsonNode failed = Wire.JSON.readTree(events[events.length - 1].split("\n")[1].substring(6));
        assertEquals("response.failed", failed.get("type").asText());
        assertEquals("failed", failed.get("response").get("status").asText());
        assertEquals(
                "too slow", failed.get("response").get("error").get("message").asText());
    }
}
