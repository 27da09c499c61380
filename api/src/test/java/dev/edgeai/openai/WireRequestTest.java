package dev.edgeai.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Request bodies: JSON → record → chat contract, and the contract → the JSON a client sends, byte for byte. */
class WireRequestTest {
    static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    static ChatRequest read(String json) throws Exception {
        return Wire.fromCompletionRequest(ChatCompletionRequest.parse(Wire.JSON.readTree(json)));
    }

    static Stream<Arguments> readable() {
        return Stream.of(
                Arguments.of("{\"model\":\"m\"," + HI + "}", ChatRequest.of("m", "hi")),
                Arguments.of(
                        "{\"model\":\"  phi-4-mini \"," + HI + ",\"foo\":{\"bar\":1},\"user\":\"x\"}",
                        ChatRequest.of("phi-4-mini", "hi")),
                Arguments.of(
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"developer\",\"content\":\"be brief\"},"
                                + "{\"role\":\"USER\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                                + "{\"type\":\"text\",\"text\":\"b\"}]},{\"role\":\"assistant\",\"content\":null},"
                                + "{\"role\":\"user\",\"content\":\"c\",\"name\":\"ann\"}]}",
                        ChatRequest.builder("m")
                                .system("be brief")
                                .user("a\nb")
                                .assistant("")
                                .user("c")
                                .build()),
                Arguments.of(
                        "{\"model\":\"m\"," + HI + ",\"max_tokens\":5,\"max_completion_tokens\":7,\"temperature\":0,"
                                + "\"top_p\":0.5,\"top_k\":20,\"seed\":42,\"stop\":\"\\n\\n\"}",
                        ChatRequest.builder("m")
                                .user("hi")
                                .maxTokens(7)
                                .temperature(0.0)
                                .topP(0.5)
                                .topK(20)
                                .seed(42L)
                                .stop(List.of("\n\n"))
                                .build()),
                Arguments.of(
                        "{\"model\":\"m\"," + HI + ",\"max_tokens\":5,\"top_k\":-1,\"stop\":[\"a\",\"b\"],"
                                + "\"frequency_penalty\":0.5,\"presence_penalty\":0,\"logit_bias\":{\"50256\":-100},"
                                + "\"n\":1,\"tools\":[],\"logprobs\":false,\"response_format\":{\"type\":\"text\"},"
                                + "\"temperature\":null,\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                        ChatRequest.builder("m")
                                .user("hi")
                                .maxTokens(5)
                                .stop(List.of("a", "b"))
                                .frequencyPenalty(0.5)
                                .presencePenalty(0.0)
                                .logitBias(java.util.Map.of(50256, -100.0))
                                .build()),
                // vLLM's and llama.cpp's knobs; a zero bias is no bias
                Arguments.of(
                        "{\"model\":\"m\"," + HI + ",\"min_p\":0.05,\"repetition_penalty\":1.1,"
                                + "\"logit_bias\":{\"7\":2.5,\"8\":0}}",
                        ChatRequest.builder("m")
                                .user("hi")
                                .minP(0.05)
                                .repetitionPenalty(1.1)
                                .logitBias(java.util.Map.of(7, 2.5))
                                .build()),
                // what Open WebUI and others send when nothing is set: neutral values of what is not implemented
                Arguments.of(
                        "{\"model\":\"m\"," + HI + ",\"top_logprobs\":0,\"logit_bias\":{},\"modalities\":[\"text\"],"
                                + "\"audio\":null,\"best_of\":1,\"typical_p\":1,\"use_beam_search\":false,"
                                + "\"min_tokens\":0,\"repeat_penalty\":1.0,\"reasoning_effort\":null,\"mirostat\":0}",
                        ChatRequest.of("m", "hi")));
    }

    @ParameterizedTest
    @MethodSource("readable")
    void readsWhatClientsSend(String json, ChatRequest expected) throws Exception {
        assertEquals(expected, read(json));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|false|false",
                ",\"stream\":true|true|false",
                ",\"stream\":true,\"stream_options\":{\"include_usage\":true}|true|true",
                ",\"stream\":false,\"stream_options\":{\"include_usage\":false}|false|false",
                ",\"stream\":null,\"stream_options\":null|false|false"
            })
    void streamAndIncludeUsage(String extra, boolean stream, boolean usage) throws Exception {
        ChatCompletionRequest r =
                ChatCompletionRequest.parse(Wire.JSON.readTree("{\"model\":\"m\"," + HI + extra + "}"));
        assertEquals(stream, r.streaming());
        assertEquals(usage, r.includeUsage());
    }

    /** The wrong value named the way OpenAI names it: the field ({@code param}) and a code. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[1,2]|-|invalid_request_body",
                "{" + HI + "}|model|missing_required_parameter",
                "{\"model\":42," + HI + "}|model|invalid_type",
                "{\"model\":\" \"," + HI + "}|model|invalid_value",
                "{\"model\":\"m\"}|messages|missing_required_parameter",
                "{\"model\":\"m\",\"messages\":[]}|messages|empty_array",
                "{\"model\":\"m\",\"messages\":\"hi\"}|messages|invalid_type",
                "{\"model\":\"m\",\"messages\":[\"hi\"]}|messages[0]|invalid_type",
                "{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}|messages[0].role|missing_required_parameter",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}|messages[0].role|invalid_value",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}|messages[0].role|unsupported_value",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}|messages[0].content|missing_required_parameter",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":3}]}|messages[0].content|invalid_type",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":1}]}]}"
                        + "|messages[0].content[0].text|invalid_type",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:,\"}}]}]}"
                        + "|messages[0].content[1]|unsupported_content",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"1\"}]}]}"
                        + "|messages[0].tool_calls|unsupported_value",
                "{\"model\":\"m\"," + HI + ",\"temperature\":\"hot\"}|temperature|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"temperature\":3}|temperature|decimal_above_max_value",
                "{\"model\":\"m\"," + HI + ",\"temperature\":-1}|temperature|decimal_below_min_value",
                "{\"model\":\"m\"," + HI + ",\"top_p\":0}|top_p|invalid_value",
                "{\"model\":\"m\"," + HI + ",\"max_tokens\":0}|max_tokens|integer_below_min_value",
                "{\"model\":\"m\"," + HI + ",\"max_tokens\":2.5}|max_tokens|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"max_completion_tokens\":\"9\"}|max_completion_tokens|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"seed\":1.5}|seed|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"stream\":\"yes\"}|stream|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"stream_options\":{\"include_usage\":1}}"
                        + "|stream_options.include_usage|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"stop\":[1]}|stop[0]|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"stop\":{}}|stop|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"stop\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\","
                        + "\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\"]}|stop|array_above_max_length",
                "{\"model\":\"m\"," + HI + ",\"n\":2}|n|unsupported_value",
                "{\"model\":\"m\"," + HI + ",\"n\":\"1\"}|n|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"tools\":[{\"type\":\"function\"}]}|tools|unsupported_value",
                "{\"model\":\"m\"," + HI + ",\"functions\":[{\"name\":\"f\"}]}|functions|unsupported_value",
                "{\"model\":\"m\"," + HI + ",\"tools\":{}}|tools|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"response_format\":{\"type\":\"json_object\"}}"
                        + "|response_format|unsupported_value",
                "{\"model\":\"m\"," + HI + ",\"logprobs\":true}|logprobs|unsupported_value",
                "{\"model\":\"m\"," + HI + ",\"frequency_penalty\":3}|frequency_penalty|decimal_above_max_value",
                "{\"model\":\"m\"," + HI + ",\"logit_bias\":{\"1\":\"x\"}}|logit_bias.1|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"user\":7}|user|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"logit_bias\":{\"hello\":1}}|logit_bias|invalid_value",
                "{\"model\":\"m\"," + HI + ",\"logit_bias\":{\"-5\":1}}|logit_bias|invalid_value",
                "{\"model\":\"m\"," + HI + ",\"logit_bias\":{\"5\":101}}|logit_bias|decimal_above_max_value",
                "{\"model\":\"m\"," + HI + ",\"min_p\":1.5}|min_p|decimal_above_max_value",
                "{\"model\":\"m\"," + HI + ",\"repetition_penalty\":0}|repetition_penalty|invalid_value",
                "{\"model\":\"m\"," + HI + ",\"repetition_penalty\":\"1\"}|repetition_penalty|invalid_type",
                "{\"model\":\"m\"," + HI + ",\"top_logprobs\":3}|top_logprobs|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"modalities\":[\"text\",\"audio\"]}|modalities|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"audio\":{\"voice\":\"alloy\"}}|audio|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"prediction\":{\"type\":\"content\"}}|prediction|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"reasoning_effort\":\"low\"}|reasoning_effort|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"best_of\":3}|best_of|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"typical_p\":0.9}|typical_p|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"repeat_penalty\":1.2}|repeat_penalty|unsupported_parameter",
                "{\"model\":\"m\"," + HI + ",\"ignore_eos\":true}|ignore_eos|unsupported_parameter"
            })
    void refusesWithTheFieldAndACode(String json, String param, String code) throws Exception {
        JsonNode body = Wire.JSON.readTree(json);
        InvalidRequest e =
                assertThrows(InvalidRequest.class, () -> Wire.fromCompletionRequest(ChatCompletionRequest.parse(body)));
        assertEquals("-".equals(param) ? null : param, e.param(), e::getMessage);
        assertEquals(code, e.code(), e::getMessage);
        assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
        String answer = Wire.toJson(e.body());
        assertTrue(answer.startsWith("{\"error\":{\"message\":"), answer);
        assertTrue(
                answer.endsWith(",\"type\":\"invalid_request_error\",\"param\":"
                        + (e.param() == null ? "null" : "\"" + e.param() + "\"") + ",\"code\":\"" + code + "\"}}"),
                answer);
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(
                        "temperature",
                        "\"hot\"",
                        "Invalid type for 'temperature': expected a number, but got a string instead."),
                Arguments.of(
                        "stream", "[]", "Invalid type for 'stream': expected a boolean, but got an array instead."),
                Arguments.of(
                        "temperature",
                        "2.5",
                        "Invalid 'temperature': expected a value between 0 and 2, but got 2.5 instead."),
                Arguments.of(
                        "max_tokens",
                        "0",
                        "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead."),
                Arguments.of(
                        "max_tokens",
                        "1e12",
                        "Invalid 'max_tokens': integer above maximum value. Expected a value <= 2147483647, but got "
                                + "1000000000000 instead."),
                Arguments.of(
                        "max_completion_tokens",
                        "99999999999999999999999",
                        "Invalid 'max_completion_tokens': integer above maximum value. Expected a value <= 2147483647,"
                                + " but got 99999999999999999999999 instead."),
                Arguments.of(
                        "top_k",
                        "-3000000000",
                        "Invalid 'top_k': integer below minimum value. Expected a value >= -2147483648, but got "
                                + "-3000000000 instead."),
                Arguments.of(
                        "max_tokens",
                        "1e999",
                        "Invalid 'max_tokens': Infinity is out of range; expected an integer up to" + " 2147483647."),
                Arguments.of(
                        "max_tokens",
                        "2.5",
                        "Invalid type for 'max_tokens': expected an integer, but got a number instead."));
    }

    @Test
    void integralNumbersAreIntegersInAnyNotation() throws Exception {
        assertEquals(1000, (int)
                read("{\"model\":\"m\"," + HI + ",\"max_tokens\":1e3}").maxTokens());
        assertEquals(256, (int)
                read("{\"model\":\"m\"," + HI + ",\"max_tokens\":256.0}").maxTokens());
    }

    @Test
    void tooManyMessagesAreRefusedBeforeAnyIsRead() throws Exception {
        String many = "{\"model\":\"m\",\"messages\":[" + String.join(",", java.util.Collections.nCopies(100_000, "1"))
                + "]}";
        long t0 = System.nanoTime();
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> read(many));
        assertEquals("messages", e.param());
        assertEquals("array_above_max_length", e.code());
        assertEquals(
                "Invalid 'messages': array too long. Expected an array with maximum length 2048, but got an array with"
                        + " length 100000 instead.",
                e.getMessage());
        System.out.printf("100k messages refused in %.1f ms (parse included)%n", (System.nanoTime() - t0) / 1e6);
        // exactly the limit is fine
        String limit = "{\"model\":\"m\",\"messages\":["
                + String.join(",", java.util.Collections.nCopies(2048, "{\"role\":\"user\",\"content\":\"x\"}"))
                + "]}";
        assertEquals(2048, read(limit).messages().size());
    }

    @ParameterizedTest
    @MethodSource("messages")
    void messagesSayWhatWasExpectedAndWhatCame(String field, String value, String message) {
        InvalidRequest e = assertThrows(
                InvalidRequest.class, () -> read("{\"model\":\"m\"," + HI + ",\"" + field + "\":" + value + "}"));
        assertEquals(message, e.getMessage());
    }

    static Stream<Arguments> written() {
        return Stream.of(
                Arguments.of(
                        ChatRequest.of("m", "hi"),
                        false,
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false}"),
                Arguments.of(
                        ChatRequest.builder("m")
                                .system("be \"brief\"")
                                .user("hi")
                                .maxTokens(64)
                                .temperature(0.0)
                                .seed(7L)
                                .stop(List.of("\n\n"))
                                .build(),
                        true,
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be \\\"brief\\\"\"},"
                                + "{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,"
                                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":64,\"temperature\":0.0,"
                                + "\"seed\":7,\"stop\":[\"\\n\\n\"]}"),
                Arguments.of(
                        ChatRequest.builder("m").user("hi").topP(0.9).topK(40).build(),
                        true,
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,"
                                + "\"stream_options\":{\"include_usage\":true},\"top_p\":0.9,\"top_k\":40}"),
                Arguments.of(
                        ChatRequest.builder("m")
                                .user("hi")
                                .minP(0.05)
                                .frequencyPenalty(0.5)
                                .presencePenalty(-0.5)
                                .repetitionPenalty(1.1)
                                .logitBias(java.util.Map.of(12, 3.0, 5, -100.0))
                                .build(),
                        false,
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false,"
                                + "\"frequency_penalty\":0.5,\"presence_penalty\":-0.5,"
                                + "\"logit_bias\":{\"12\":3.0,\"5\":-100.0},\"min_p\":0.05,\"repetition_penalty\":1.1}"));
    }

    @ParameterizedTest
    @MethodSource("written")
    void clientRequestsAreExactlyThis(ChatRequest request, boolean stream, String json) throws Exception {
        assertEquals(json, Wire.toJson(Wire.toCompletionRequest(request, stream)));
        // and the server reads back what the client meant
        assertEquals(request, read(json));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"hi\"|\"hi\"",
                "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\"}]|[{\"type\":\"text\",\"text\":\"a\"},"
                        + "{\"type\":\"image_url\"}]"
            })
    void contentIsWrittenInTheShapeItWasRead(String content, String written) throws Exception {
        ChatCompletionRequest r = ChatCompletionRequest.parse(
                Wire.JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}"));
        assertEquals(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + written + "}]}", Wire.toJson(r));
    }

    @org.junit.jupiter.api.Test
    void messagesKeepTheirRolesAndOrder() throws Exception {
        ChatRequest r = read("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                + "{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"a\"}]}");
        assertEquals(List.of(ChatMessage.system("s"), ChatMessage.user("u"), ChatMessage.assistant("a")), r.messages());
    }
}
