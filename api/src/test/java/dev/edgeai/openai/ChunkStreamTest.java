package dev.edgeai.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.openai.ChatCompletionChunk.Delta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast chunk writer against the records' JSON, byte for byte, and chunks from other servers read. */
class ChunkStreamTest {
    static final String ID = "chatcmpl-0a1b";
    static final long CREATED = 1_700_000_000L;

    /** Texts that need escaping: quotes, backslashes, control characters, line separators, non-ASCII, HTML. */
    static final List<String> TEXTS = List.of(
            "Hello",
            " world",
            "a\"b\\c/d",
            "line\nbreak\r\ttab\b\f\u0001\u001f",
            "é中😀",
            "\u2028\u2029",
            "</script><!--",
            "");

    static String sse(Object record) {
        return "data: " + Wire.toJson(record) + "\n\n";
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyChunkIsTheRecordsJson(boolean includeUsage) {
        for (String model : List.of("m", "Phi-4-mini-instruct-generic-cpu:4", "odd \"model\"\\é")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChunkStream s = new ChunkStream(new SseWriter(out), ID, CREATED, model, includeUsage);
            StringBuilder expected = new StringBuilder();
            expected.append(sse(ChatCompletionChunk.of(ID, CREATED, model, Delta.ROLE, null, includeUsage)));
            assertFalse(s.begun());
            s.reasoning("thinking \"hard\"");
            assertTrue(s.begun());
            expected.append(sse(ChatCompletionChunk.of(
                    ID, CREATED, model, Delta.reasoning("thinking \"hard\""), null, includeUsage)));
            for (String t : TEXTS) {
                assertTrue(s.content(t));
                expected.append(sse(ChatCompletionChunk.of(ID, CREATED, model, Delta.content(t), null, includeUsage)));
            }
            CompletionUsage usage = new CompletionUsage(12, 8, 20);
            assertTrue(s.finish("length", usage));
            expected.append(sse(ChatCompletionChunk.of(ID, CREATED, model, Delta.NONE, "length", includeUsage)));
            if (includeUsage) expected.append(sse(ChatCompletionChunk.usageOnly(ID, CREATED, model, usage)));
            expected.append("data: [DONE]\n\n");
            assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theShapesOpenAiClientsExpect(boolean includeUsage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkStream s = new ChunkStream(new SseWriter(out), ID, CREATED, "m", includeUsage);
        s.content("Hi");
        s.finish("stop", new CompletionUsage(1, 1, 2));
        String u = includeUsage ? ",\"usage\":null" : "";
        String head = "data: {\"id\":\"chatcmpl-0a1b\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"system_fingerprint\":null,\"choices\":[";
        assertEquals(
                head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]" + u + "}\n\n"
                        + head
                        + "{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}]"
                        + u + "}\n\n"
                        + head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]" + u
                        + "}\n\n"
                        + (includeUsage
                                ? head
                                        + "],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n"
                                : "")
                        + "data: [DONE]\n\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void theRoleChunkAndTheFirstTokenGoOutInOneWriteAndAnErrorIsANamedEvent() {
        List<String> writes = new ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException("one write per event batch");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(new String(b, off, len, StandardCharsets.UTF_8));
            }
        };
        ChunkStream s = new ChunkStream(new SseWriter(out), ID, CREATED, "m", false);
        s.content("a");
        s.content("b");
        s.error(ErrorResponse.of("request timed out", "server_error", null, "timeout"));
        assertEquals(3, writes.size(), writes::toString);
        assertTrue(writes.get(0).contains("\"role\":\"assistant\"")
                && writes.get(0).contains("\"content\":\"a\""));
        assertEquals(
                "event: error\ndata: {\"error\":{\"message\":\"request timed out\",\"type\":\"server_error\","
                        + "\"param\":null,\"code\":\"timeout\"}}\n\n",
                writes.get(2));
    }

    @org.junit.jupiter.api.Test
    void aGoneClientIsReportedAndNothingMoreIsWritten() {
        int[] attempts = {0};
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                attempts[0]++;
                throw new IOException("Broken pipe");
            }
        };
        ChunkStream s = new ChunkStream(new SseWriter(out), ID, CREATED, "m", false);
        assertFalse(s.content("a"));
        assertTrue(s.broken());
        int after = attempts[0];
        assertFalse(s.content("b"));
        assertFalse(s.finish("stop", null));
        assertEquals(after, attempts[0], "no write after the first failure");
    }

    /** What other servers stream, read into the same record. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // vLLM: role chunk, then content; usage null on every chunk
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"q\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}"
                        + "|Hi|-|-|-|-",
                // Ollama: thinking in "reasoning"
                "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"hm\"},"
                        + "\"finish_reason\":null}]}|''|hm|-|-|-",
                // a server that streams "message" instead of "delta"
                "{\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":\"length\"}]}|x|-|length|-|-",
                // the usage chunk
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}"
                        + "|-|-|-|2|-",
                // an error mid-stream (vLLM, Ollama)
                "{\"error\":{\"message\":\"CUDA out of memory\",\"type\":\"server_error\"}}|-|-|-|-|CUDA out of memory"
            })
    void readsChunksFromOtherServers(
            String json, String content, String reasoning, String finish, Integer completionTokens, String error)
            throws Exception {
        ChatCompletionChunk c = Wire.JSON.readValue(json, ChatCompletionChunk.class);
        ChatCompletionChunk.ChunkChoice choice =
                c.choices() == null || c.choices().isEmpty()
                        ? null
                        : c.choices().getFirst();
        assertEquals(content, choice == null ? null : choice.delta().content());
        assertEquals(reasoning, choice == null ? null : choice.delta().anyReasoning());
        assertEquals(finish, choice == null ? null : choice.finishReason());
        assertEquals(
                completionTokens, c.usageValue() == null ? null : c.usageValue().completionTokens());
        assertEquals(
                error,
                c.error() == null
                        ? null
                        : Wire.errorMessage(Wire.JSON.createObjectNode().set("error", c.error())));
        if (error == null) assertNull(c.error());
    }
}
