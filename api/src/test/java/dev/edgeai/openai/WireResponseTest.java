package dev.edgeai.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.Timings;
import dev.edgeai.chat.Usage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Answers, model lists, errors and finish reasons: the contract → the JSON a server sends, and others' JSON read. */
class WireResponseTest {
    static final Timings T = new Timings(1, 2, List.of(), Double.NaN);

    static Stream<Arguments> completions() {
        return Stream.of(
                Arguments.of(
                        new ChatResult("m", "Hi \"there\"\n", FinishReason.LENGTH, new Usage(3, 2, false), T),
                        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"m\","
                                + "\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"Hi \\\"there\\\"\\n\",\"refusal\":null},\"logprobs\":null,"
                                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
                                + "\"total_tokens\":5}}"),
                Arguments.of(
                        new ChatResult("m", "", null, new Usage(1, 0, true), T),
                        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"m\","
                                + "\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":0,\"total_tokens\":1}}"));
    }

    @ParameterizedTest
    @MethodSource("completions")
    void serverAnswersAreExactlyThis(ChatResult result, String json) {
        assertEquals(json, Wire.toJson(Wire.toCompletion("chatcmpl-1", 1_700_000_000L, result)));
    }

    /** What other servers send: extra fields, delta instead of message, reasoning in either field, no usage. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"qwen2.5:7b\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi\",\"tool_calls\":[]},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6},\"x_groq\":{}}"
                        + "|Hi|-|stop|qwen2.5:7b|5|1",
                "{\"choices\":[{\"delta\":{\"content\":\"Hi\",\"reasoning\":\"hmm\"},\"finish_reason\":\"eos_token\"}]}"
                        + "|Hi|hmm|stop|-|-|-",
                "{\"model\":\"gpt-oss\",\"created\":1.7E9,\"choices\":[{\"message\":{\"content\":null,"
                        + "\"reasoning_content\":\"think\"},\"finish_reason\":null}],\"usage\":{\"completion_tokens\":9}}"
                        + "|-|think|-|gpt-oss|-|9"
            })
    void readsOtherServersCompletions(
            String json, String text, String reasoning, String finish, String model, Integer prompt, Integer completion)
            throws Exception {
        ChatCompletion c = Wire.JSON.readValue(json, ChatCompletion.class);
        ChatCompletion.Message m = c.choices().getFirst().message();
        assertEquals(text, m.content());
        assertEquals(reasoning, m.anyReasoning());
        assertEquals(
                finish,
                FinishReason.fromWire(c.choices().getFirst().finishReason()) == null
                        ? null
                        : FinishReason.fromWire(c.choices().getFirst().finishReason())
                                .wireName());
        assertEquals(model, c.model());
        assertEquals(prompt, c.usage() == null ? null : c.usage().promptTokens());
        assertEquals(completion, c.usage() == null ? null : c.usage().completionTokens());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}|5|1",
                "{\"prompt_tokens\":5}|-|-",
                "{}|-|-"
            })
    void usageIsTakenOnlyWhenBothCountsCame(String json, Integer prompt, Integer completion) throws Exception {
        Usage u = Wire.fromUsage(Wire.JSON.readValue(json, CompletionUsage.class));
        assertEquals(prompt, u == null ? null : u.promptTokens());
        assertEquals(completion, u == null ? null : u.completionTokens());
        if (u != null) assertEquals(false, u.estimated());
        assertNull(Wire.fromUsage(null));
    }

    @Test
    void modelListsBothWays() throws Exception {
        ModelList list = ModelList.of(List.of(
                Wire.toModel(new ModelInfo("Qwen2.5-0.5B-Instruct", null), 1700000000L, "edgeai"),
                Wire.toModel(new ModelInfo("m", "scripted"), 0, "edgeai"),
                ModelList.Model.alias("phi-4-mini", 1700000000L, "edgeai", "Qwen2.5-0.5B-Instruct")));
        String json = "{\"object\":\"list\",\"data\":[{\"id\":\"Qwen2.5-0.5B-Instruct\",\"object\":\"model\","
                + "\"created\":1700000000,\"owned_by\":\"edgeai\"},{\"id\":\"m\",\"object\":\"model\",\"created\":0,"
                + "\"owned_by\":\"scripted\"},{\"id\":\"phi-4-mini\",\"object\":\"model\",\"created\":1700000000,"
                + "\"owned_by\":\"edgeai\",\"alias_of\":\"Qwen2.5-0.5B-Instruct\"}]}";
        assertEquals(json, Wire.toJson(list));
        assertEquals(
                List.of(
                        new ModelInfo("Qwen2.5-0.5B-Instruct", "edgeai"),
                        new ModelInfo("m", "scripted"),
                        new ModelInfo("phi-4-mini", "edgeai")),
                Wire.fromModelList(Wire.JSON.readValue(json, ModelList.class)));
        // Foundry Local 0.10 with no model loaded; a server listing ids only
        assertEquals(
                List.of(),
                Wire.fromModelList(Wire.JSON.readValue("{\"data\":[],\"object\":\"list\"}", ModelList.class)));
        assertEquals(
                List.of(new ModelInfo("qwen2.5:7b", null)),
                Wire.fromModelList(Wire.JSON.readValue("{\"data\":[{\"id\":\"qwen2.5:7b\"}]}", ModelList.class)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Wire.fromModelList(Wire.JSON.readValue("{\"models\":[]}", ModelList.class)));
    }

    @Test
    void errorBodiesInBothShapes() {
        assertEquals(
                "{\"error\":{\"message\":\"nope\",\"type\":\"invalid_request_error\",\"param\":null,"
                        + "\"code\":\"model_not_found\"}}",
                Wire.toJson(ErrorResponse.of("nope", "invalid_request_error", null, "model_not_found")));
        assertEquals(
                "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"param\":\"messages[0].role\","
                        + "\"code\":\"invalid_value\"}}",
                Wire.toJson(ErrorResponse.of("bad", "invalid_request_error", "messages[0].role", "invalid_value")));
        assertEquals(
                "{\"error\":{\"message\":\"model 'x' not found\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"model_not_found\"}}",
                Wire.toJson(
                        ErrorResponse.withoutParam("model 'x' not found", "invalid_request_error", "model_not_found")));
        assertEquals(
                "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}",
                Wire.toJson(ErrorResponse.withoutParam("boom", "server_error", null)));
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                "stop, STOP",
                "length, LENGTH",
                "tool_calls, TOOL_CALLS",
                "function_call, TOOL_CALLS",
                "content_filter, CONTENT_FILTER",
                "eos_token, STOP",
                "stop_sequence, STOP",
                "abort, CANCELLED",
                "cancelled, CANCELLED",
                "error, ERROR",
                "Stop, STOP",
                "recitation, OTHER",
                "-, -"
            })
    void finishReasonsFromAnyServer(String wire, FinishReason expected) {
        assertEquals(expected, FinishReason.fromWire(wire));
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {"-, stop", "STOP, stop", "LENGTH, length", "TOOL_CALLS, tool_calls", "OTHER, stop"})
    void finishReasonsAsSent(FinishReason reason, String wire) {
        assertEquals(wire, Wire.toFinishReason(reason));
    }

    @Test
    void anUnfinishedAnswerHasNoFinishReasonToSend() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Wire.toFinishReason(FinishReason.CANCELLED));
        assertThrows(IllegalArgumentException.class, () -> Wire.toFinishReason(FinishReason.ERROR));
        // JSON uses the wire names (the RAG app's metrics, results files)
        assertEquals("\"cancelled\"", Wire.toJson(FinishReason.CANCELLED));
        assertEquals(FinishReason.LENGTH, Wire.JSON.readValue("\"length\"", FinishReason.class));
    }
}
