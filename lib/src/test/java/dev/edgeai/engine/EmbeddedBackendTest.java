package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedBackendTest {
    static EmbeddedBackend backend;
    static final String LLAMA = "tiny-random-LlamaForCausalLM-fp16";
    static final String GQA = "tiny-graph-capture-gqa";

    @BeforeAll
    static void load() {
        backend = EmbeddedBackend.load(Fixtures.LLAMA, Fixtures.GQA, Fixtures.GPT2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void listsModelsAndKind() {
        assertEquals(
                List.of(LLAMA, GQA, "tiny-random-gpt2-fp32"),
                backend.models().stream().map(m -> m.id()).toList());
        assertEquals("embedded", backend.info().kind());
        assertTrue(
                backend.info().version().startsWith("onnxruntime 1."),
                backend.info().version());
    }

    @Test
    void streamsPiecesWithExactUsageAndTimings() {
        List<String> pieces = new ArrayList<>();
        ChatResult r = backend.stream(req(LLAMA).maxTokens(12).build(), new StreamListener() {
            @Override
            public void onToken(String text) {
                pieces.add(text);
            }
        });
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(12, r.usage().completionTokens());
        assertFalse(r.usage().estimated());
        int[] prompt = backend.model(LLAMA).promptIds(req(LLAMA).build().messages());
        assertEquals(prompt.length, r.usage().promptTokens());
        assertEquals(String.join("", pieces), r.text());
        assertTrue(pieces.stream().noneMatch(String::isEmpty));
        assertFalse(Double.isNaN(r.timings().ttftMs()));
        assertTrue(r.timings().prefillMs() > 0
                && r.timings().prefillMs() <= r.timings().ttftMs());
        assertTrue(r.timings().e2eMs() >= r.timings().ttftMs());
        assertEquals(pieces.size() - 1, r.timings().chunkGapsMs().size());
    }

    @Test
    void seededSamplingIsReproducibleAndSeedsDiffer() {
        ChatRequest a = req(LLAMA)
                .maxTokens(24)
                .temperature(1.5)
                .topK(50)
                .topP(0.95)
                .seed(42L)
                .build();
        String first = backend.chat(a).text();
        assertEquals(first, backend.chat(a).text());
        String other = backend.chat(a.toBuilder().seed(7L).build()).text();
        assertNotEquals(first, other);
        assertNotEquals(
                backend.chat(req(LLAMA).maxTokens(24).build()).text(), first, "sampling should differ from greedy");
    }

    @Test
    void stopStringEndsBeforeItAndIsNeverStreamed() {
        String full = backend.chat(req(GQA).maxTokens(30).build()).text();
        assertTrue(full.length() > 12, full);
        String stop = full.substring(8, 11);
        String expected = full.substring(0, full.indexOf(stop));
        StringBuilder streamed = new StringBuilder();
        ChatResult r = backend.stream(req(GQA).maxTokens(30).stop(List.of(stop)).build(), new StreamListener() {
            @Override
            public void onToken(String text) {
                streamed.append(text);
            }
        });
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(expected, r.text());
        assertEquals(expected, streamed.toString());
    }

    @Test
    void eosEndsWithStopAndIsNotEmitted() {
        LoadedModel m = backend.model(LLAMA);
        int[] prompt = m.promptIds(req(LLAMA).build().messages());
        var free = m.generator()
                .generate(prompt, new Generator.Settings(10, Sampler.GREEDY, Set.of(), List.of()), StreamListener.NONE);
        int k = 0;
        int eos = free.tokens()[5];
        while (free.tokens()[k] != eos) k++; // first occurrence
        var out = m.generator()
                .generate(
                        prompt,
                        new Generator.Settings(10, Sampler.GREEDY, Set.of(eos), List.of()),
                        StreamListener.NONE);
        assertEquals(FinishReason.STOP, out.finishReason());
        assertArrayEquals(java.util.Arrays.copyOf(free.tokens(), k), out.tokens());
    }

    @Test
    void cancellationIsCheckedPerToken() {
        int[] seen = {0};
        ChatResult r = backend.stream(req(LLAMA).maxTokens(50).build(), new StreamListener() {
            @Override
            public void onToken(String text) {
                seen[0]++;
            }

            @Override
            public boolean isCancelled() {
                return seen[0] >= 3;
            }
        });
        assertEquals(FinishReason.CANCELLED, r.finishReason());
        assertTrue(r.usage().completionTokens() < 50);
    }

    @Test
    void promptLongerThanContextIsAClearError() {
        String huge = "word ".repeat(3000);
        ChatException e = assertThrows(ChatException.class, () -> backend.chat(ChatRequest.of(LLAMA, huge)));
        assertEquals(ChatException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("context is 2048"), e.getMessage());
    }

    @Test
    void idOutsideTheModelsVocabularyIsANamedErrorBeforeOrtRuns() {
        // The GPT-2 fixture's tokenizer has 50257 tokens, its embedding 1000 rows: an ordinary prompt overflows it.
        String gpt2 = "tiny-random-gpt2-fp32";
        int[] prompt = backend.model(gpt2)
                .promptIds(ChatRequest.of(gpt2, "Hello, my name is Ada").messages());
        int first = -1;
        for (int i = 0; i < prompt.length && first < 0; i++) if (prompt[i] >= 1000) first = i;
        assertTrue(first >= 0, "the prompt should contain an id >= 1000: " + java.util.Arrays.toString(prompt));
        ChatException e =
                assertThrows(ChatException.class, () -> backend.chat(ChatRequest.of(gpt2, "Hello, my name is Ada")));
        assertEquals(ChatException.Kind.INVALID_INPUT, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith("token id " + prompt[first] + " at prompt position " + first
                                + " is outside the vocabulary of model " + gpt2 + " (vocabulary size 1000, ids 0-999)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("out of range"), "ORT must not have run: " + e.getMessage());
        // The model still works afterwards with ids inside its vocabulary.
        var ok = backend.model(gpt2)
                .generator()
                .generate(
                        new int[] {98, 15, 286},
                        new Generator.Settings(4, Sampler.GREEDY, Set.of(), List.of()),
                        StreamListener.NONE);
        assertEquals(4, ok.tokens().length);
    }

    @Test
    void unknownModelNamesTheLoadedOnes() {
        ChatException e = assertThrows(ChatException.class, () -> backend.chat(ChatRequest.of("nope", "hi")));
        assertEquals(ChatException.Kind.UNKNOWN_MODEL, e.kind());
        assertTrue(e.getMessage().contains(LLAMA));
    }

    static ChatRequest.Builder req(String model) {
        return ChatRequest.builder(model).system("You are terse.").user("Hello, my name is");
    }
}
