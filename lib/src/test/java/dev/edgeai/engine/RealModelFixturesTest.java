package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.chat.FinishReason;
import dev.edgeai.chat.StreamListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixtures built by tools/fixtures/make_fixtures.py: random int4 weights behind the real tokenizer_config.json of
 * Qwen2.5-Instruct and Phi-4-mini-instruct, in the folder layouts of an onnx-community download and of Foundry
 * Local's cache. Real ORT, real tokenizer, real templates; the seeds were picked so that greedy decoding of the chat
 * below writes a non-EOS special token and then the config's EOS.
 */
class RealModelFixturesTest {
    static final String QWEN_Q4 = "tiny-random-qwen2.5-instruct-q4";
    static final String QWEN_GENAI_ID = "tiny-random-qwen2.5-instruct-generic-cpu",
            PHI_ID = "tiny-random-phi-4-mini-instruct-generic-cpu";
    static final List<ChatMessage> CHAT = List.of(
            new ChatMessage("system", "You are terse."),
            new ChatMessage("user", "Hello, my name is Ada. What is ONNX?"));
    /** What transformers' apply_chat_template renders for CHAT with either model's real template. */
    static final String QWEN_PROMPT = "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\n"
            + "Hello, my name is Ada. What is ONNX?<|im_end|>\n<|im_start|>assistant\n";

    static final String PHI_PROMPT =
            "<|system|>You are terse.<|end|><|user|>Hello, my name is Ada. What is ONNX?<|end|><|assistant|>";

    // One backend per fixture folder (the two Qwen fixtures hold the same weights and are compared side by side).
    static EmbeddedBackend qwenQ4, qwenGenai, phi;

    @BeforeAll
    static void load() {
        qwenQ4 = EmbeddedBackend.load(Fixtures.QWEN_Q4);
        qwenGenai = EmbeddedBackend.load(Fixtures.QWEN_GENAI);
        phi = EmbeddedBackend.load(Fixtures.PHI_GENAI);
    }

    @AfterAll
    static void close() {
        for (EmbeddedBackend b : new EmbeddedBackend[] {qwenQ4, qwenGenai, phi}) if (b != null) b.close();
    }

    @Test
    void foldersAreReadInTheirRealLayouts() throws Exception {
        ModelDescriptor q = qwenQ4.model(QWEN_Q4).descriptor();
        assertEquals(ModelDescriptor.Layout.OPTIMUM, q.layout());
        assertEquals("model_q4.onnx", q.modelFile().getFileName().toString());
        assertEquals(KvCacheSpec.Layout.PER_LAYER, q.kv().layout());
        assertEquals("position_ids", q.positionIds());
        assertEquals(151936, q.vocabSize());
        assertEquals(List.of(151645, 151643), q.eosIds(), "config.json eos plus generation_config.json's");

        ModelDescriptor g = qwenGenai.model(QWEN_GENAI_ID).descriptor();
        assertEquals(ModelDescriptor.Layout.GENAI, g.layout());
        assertEquals(KvCacheSpec.Layout.SHARE_BUFFER, g.kv().layout());
        assertNull(g.positionIds(), "GroupQueryAttention derives positions itself");
        assertEquals(151936, g.vocabSize());
        assertEquals(List.of(151645, 151643), g.eosIds());

        ModelDescriptor p = phi.model(PHI_ID).descriptor();
        assertEquals(KvCacheSpec.Layout.SHARE_BUFFER, p.kv().layout());
        assertEquals(200064, p.vocabSize());
        assertEquals(List.of(200020, 199999), p.eosIds());

        // The graphs really are int4 MatMulNBits (+ GQA for the genai ones): op types are plain strings in the
        // protobuf.
        for (ModelDescriptor d : List.of(q, g, p)) {
            String proto = new String(Files.readAllBytes(d.modelFile()), StandardCharsets.ISO_8859_1);
            assertTrue(proto.contains("MatMulNBits"), d.modelFile() + " has no MatMulNBits");
            // Only the optimum graph has plain MatMuls: attention written out in ONNX ops (activations only).
            assertEquals(d == q, proto.contains("\"\u0006MatMul"), d.modelFile().toString());
            assertEquals(
                    d != q, proto.contains("GroupQueryAttention"), d.modelFile().toString());
        }
    }

    @Test
    void tokenizersHoldTheRealSpecialTokensAtTheConfigsIds() throws Exception {
        for (Path folder : List.of(Fixtures.QWEN_Q4, Fixtures.PHI_GENAI)) {
            JsonNode added = ModelFolder.readJson(folder.resolve("tokenizer_config.json"))
                    .path("added_tokens_decoder");
            TextTokenizer tok = (folder == Fixtures.QWEN_Q4 ? qwenQ4.model(QWEN_Q4) : phi.model(PHI_ID)).tokenizer();
            int checked = 0;
            for (var it = added.fields(); it.hasNext(); checked++) {
                var e = it.next();
                String content = e.getValue().path("content").asText();
                assertArrayEquals(
                        new int[] {Integer.parseInt(e.getKey())},
                        tok.encode(content, false),
                        content + " in " + folder);
                // Special tokens are dropped when decoding; the others (<tool_call>, <|tool|>) are text.
                boolean special = e.getValue().path("special").asBoolean();
                assertEquals(special ? "" : content, tok.decode(new int[] {Integer.parseInt(e.getKey())}), content);
            }
            assertTrue(checked >= 12, folder + ": " + checked);
        }
    }

    // Template-dependent: holds once ChatTemplates renders Hugging Face-exact (jinjava whitespace control, the tmpl
    // branch). Today jinjava ignores {%- -%} and puts 8 spaces before each <|im_start|> of Qwen's template.
    @Test
    void qwenJinjaTemplateRendersExactlyWhatTransformersDoes() {
        LoadedModel m = qwenQ4.model(QWEN_Q4);
        assertTrue(
                m.format().describe().matches("chat_template from .*/tokenizer_config\\.json"),
                m.format().describe());
        assertEquals(QWEN_PROMPT, m.format().render(CHAT));
        assertEquals(
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                m.format().render(List.of(new ChatMessage("user", "Hi"))));
    }

    @Test
    void foundryPromptTemplatesAndPhisJinjaTemplateRenderTheRealFormats(@TempDir Path dir) {
        LoadedModel q = qwenGenai.model(QWEN_GENAI_ID);
        assertTrue(
                q.format().describe().startsWith("PromptTemplate from"),
                q.format().describe());
        assertEquals(QWEN_PROMPT, q.format().render(CHAT));
        LoadedModel p = phi.model(PHI_ID);
        assertEquals(PHI_PROMPT, p.format().render(CHAT));
        // Without Foundry's inference_model.json the real Phi-4-mini chat_template renders the same string (it has no
        // whitespace control, so jinjava already matches transformers on it).
        Path copy = Fixtures.copy(Fixtures.PHI_GENAI, dir.resolve("phi"));
        assertDoesNotThrow(() -> Files.delete(copy.resolve("inference_model.json")));
        PromptFormat jinja = ChatTemplates.forFolder(copy);
        assertTrue(jinja.describe().matches("chat_template from .*/tokenizer_config\\.json"), jinja.describe());
        assertEquals(PHI_PROMPT, jinja.render(CHAT));
        assertArrayEquals(p.tokenizer().encode(PHI_PROMPT, false), p.promptIds(CHAT));
        assertEquals(200019, p.promptIds(CHAT)[p.promptIds(CHAT).length - 1], "the prompt ends with <|assistant|>");
    }

    @Test
    void qwenStopsAtImEndAndNeverStreamsSpecialTokens() {
        assertStopsAtEosWithoutSpecialText(qwenGenai, QWEN_GENAI_ID, 151645, "<|im_end|>");
    }

    @Test
    void phiStopsAtEndAndNeverStreamsSpecialTokens() {
        assertStopsAtEosWithoutSpecialText(phi, PHI_ID, 200020, "<|end|>");
    }

    // Template-dependent (see above): the optimum folder renders through the real Jinja template, the genai one
    // through Foundry's PromptTemplate; once both are exact they give the same prompt and, with the same weights,
    // the same answer.
    @Test
    void optimumQwenChatsThroughItsJinjaTemplateLikeTheFoundryFolder() {
        ChatRequest req = ChatRequest.builder(QWEN_Q4)
                .system("You are terse.")
                .user("Hello, my name is Ada. What is ONNX?")
                .maxTokens(40)
                .temperature(0.0) // the optimum folder's generation_config.json samples; the genai folder has none
                .build();
        ChatResult a = qwenQ4.chat(req);
        ChatResult b = qwenGenai.chat(req.toBuilder().model(QWEN_GENAI_ID).build());
        assertEquals(FinishReason.STOP, a.finishReason());
        assertEquals(b.text(), a.text());
        assertEquals(b.usage().promptTokens(), a.usage().promptTokens());
        assertEquals(b.usage().completionTokens(), a.usage().completionTokens());
    }

    @Test
    void bothLayoutsOfTheSameWeightsGenerateTheSameTokens() {
        int[] prompt = qwenGenai.model(QWEN_GENAI_ID).tokenizer().encode(QWEN_PROMPT, false);
        var settings = new Generator.Settings(40, Sampler.GREEDY, Set.of(), List.of());
        Generator.Outcome optimum = generate(qwenQ4.model(QWEN_Q4), prompt, settings);
        Generator.Outcome genai = generate(qwenGenai.model(QWEN_GENAI_ID), prompt, settings);
        assertEquals(40, optimum.tokens().length);
        assertArrayEquals(
                genai.tokens(),
                optimum.tokens(),
                "plain-op attention with a growing cache vs GroupQueryAttention with a shared buffer");
        assertEquals(genai.text(), optimum.text());
    }

    @Test
    void int4GreedyOutputIsStableAcrossRunsAndSettings() {
        LoadedModel m = phi.model(PHI_ID);
        int[] prompt = m.promptIds(CHAT);
        var settings = new Generator.Settings(32, Sampler.GREEDY, Set.of(), List.of());
        int[] first = generate(m, prompt, settings).tokens();
        int[] again = generate(m, prompt, settings).tokens();
        assertArrayEquals(first, again);
        // temperature 0 through the backend is greedy too, and so is a seeded sampler at temperature 0
        ChatResult viaBackend = phi.chat(ChatRequest.builder(PHI_ID)
                .system("You are terse.")
                .user("Hello, my name is Ada. What is ONNX?")
                .temperature(0.0)
                .seed(1L)
                .build());
        int eos = indexOf(first, 200020);
        assertTrue(eos > 0, Arrays.toString(first));
        assertEquals(m.tokenizer().decode(Arrays.copyOf(first, eos)), viaBackend.text());
    }

    /** Greedy chat through the backend must end at {@code eos} with "stop", and no special token may reach the stream. */
    static void assertStopsAtEosWithoutSpecialText(EmbeddedBackend backend, String id, int eos, String eosText) {
        LoadedModel m = backend.model(id);
        int[] prompt = m.promptIds(CHAT);
        // A free run (EOS not honoured) shows where the model writes EOS, and streams the special tokens it writes.
        StringBuilder streamed = new StringBuilder();
        Generator.Outcome free = m.generator()
                .generate(
                        prompt, new Generator.Settings(30, Sampler.GREEDY, Set.of(), List.of()), new StreamListener() {
                            @Override
                            public void onToken(String text) {
                                streamed.append(text);
                            }
                        });
        int at = indexOf(free.tokens(), eos);
        assertTrue(
                at > 0, "the fixture should write " + eosText + " within 30 tokens: " + Arrays.toString(free.tokens()));
        List<String> specials = new ArrayList<>();
        for (int t : free.tokens()) {
            String piece = m.tokenizer().nativeDecode(new int[] {t}, 0, 1);
            if (t >= 150000 && piece.isEmpty()) specials.add(t + "");
        }
        assertTrue(specials.size() > 1, "expected special tokens besides EOS: " + Arrays.toString(free.tokens()));
        assertFalse(streamed.toString().contains(eosText), streamed.toString());
        assertEquals(m.tokenizer().decode(free.tokens()), streamed.toString());
        JsonNode added = ModelFolder.readJson(m.descriptor().folder().resolve("tokenizer_config.json"))
                .path("added_tokens_decoder");
        for (String t : specials)
            assertFalse(
                    streamed.toString().contains(added.path(t).path("content").asText()),
                    t + " streamed as text: " + streamed);

        List<String> pieces = new ArrayList<>();
        ChatResult r = backend.stream(
                ChatRequest.builder(id)
                        .system("You are terse.")
                        .user("Hello, my name is Ada. What is ONNX?")
                        .build(),
                new StreamListener() {
                    @Override
                    public void onToken(String text) {
                        pieces.add(text);
                    }
                });
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(at, r.usage().completionTokens(), "tokens before " + eosText);
        assertEquals(m.tokenizer().decode(Arrays.copyOf(free.tokens(), at)), r.text());
        assertEquals(r.text(), String.join("", pieces));
        assertFalse(r.text().isEmpty());
        assertFalse(r.text().contains("<|"), "a special token leaked into the text: " + r.text());
    }

    static Generator.Outcome generate(LoadedModel m, int[] prompt, Generator.Settings s) {
        return m.generator().generate(prompt, s, StreamListener.NONE);
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }

    @Test
    void foundryVariantFoldersAreNamedAfterTheirModelSoTwoLoadTogether() {
        try (EmbeddedBackend both = EmbeddedBackend.load(List.of(Fixtures.QWEN_GENAI, Fixtures.PHI_GENAI))) {
            assertEquals(
                    List.of(QWEN_GENAI_ID, PHI_ID),
                    both.models().stream().map(m -> m.id()).toList());
        }
        assertEquals(
                "Phi-4-mini-instruct-onnx",
                ModelFolder.modelId(
                        Path.of("/c/Phi-4-mini-instruct-onnx/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4")));
        assertEquals("Qwen2.5-0.5B-Instruct", ModelFolder.modelId(Path.of("/m/Qwen2.5-0.5B-Instruct")));
    }
}
