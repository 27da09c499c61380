package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real tokenizer_config.json of Qwen2.5-Instruct and Phi-4-mini-instruct (testdata/tokenizer-configs):
 * their chat templates render the prompts the models were trained on, and were a template unusable, the fallback
 * their special tokens name is their own format. Expected strings follow the templates' text: Qwen2.5 writes a
 * default system prompt when there is none and "\n" after each turn; Phi-4-mini writes no newlines at all.
 */
class RealTokenizerConfigTest {
    static final Path QWEN = Path.of("../testdata/tokenizer-configs/qwen2.5-instruct");
    static final Path PHI4_MINI = Path.of("../testdata/tokenizer-configs/phi-4-mini-instruct");

    static final List<ChatMessage> HI = List.of(ChatMessage.user("Hi"));
    static final List<ChatMessage> MULTI_TURN = List.of(
            ChatMessage.system("You are terse."),
            ChatMessage.user("Hi there"),
            ChatMessage.assistant("Hello."),
            ChatMessage.user("What is ONNX?"));

    static final String QWEN_MULTI_TURN =
            "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n"
                    + "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nWhat is ONNX?<|im_end|>\n<|im_start|>assistant\n";
    static final String PHI4_MINI_MULTI_TURN =
            "<|system|>You are terse.<|end|><|user|>Hi there<|end|><|assistant|>Hello.<|end|>"
                    + "<|user|>What is ONNX?<|end|><|assistant|>";

    @Test
    void qwenWithoutSystemMessageGetsItsDefaultSystemPrompt() {
        PromptFormat f = ChatTemplates.forFolder(QWEN);
        assertInstanceOf(PromptFormat.Jinja.class, f);
        assertEquals(
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                f.render(HI));
        assertFalse(f.addSpecialTokens());
    }

    @Test
    void qwenMultiTurn() {
        assertEquals(QWEN_MULTI_TURN, ChatTemplates.forFolder(QWEN).render(MULTI_TURN));
    }

    @Test
    void phi4MiniWithoutSystemMessage() {
        PromptFormat f = ChatTemplates.forFolder(PHI4_MINI);
        assertInstanceOf(PromptFormat.Jinja.class, f);
        assertEquals("<|user|>Hi<|end|><|assistant|>", f.render(HI));
    }

    @Test
    void phi4MiniMultiTurn() {
        assertEquals(PHI4_MINI_MULTI_TURN, ChatTemplates.forFolder(PHI4_MINI).render(MULTI_TURN));
    }

    @Test
    void tokensAndFallbacksComeFromTheConfigs() {
        PromptFormat.Jinja qwen = (PromptFormat.Jinja) ChatTemplates.forFolder(QWEN);
        assertEquals("", qwen.bosToken(), "Qwen2.5 has no bos_token");
        assertEquals("<|im_end|>", qwen.eosToken());
        assertEquals(new PromptFormat.ChatMl(), qwen.fallback());
        PromptFormat.Jinja phi = (PromptFormat.Jinja) ChatTemplates.forFolder(PHI4_MINI);
        assertEquals("<|endoftext|>", phi.bosToken());
        assertEquals(new PromptFormat.Phi(false), phi.fallback());
        assertTrue(
                ChatTemplates.specialTokens(PHI4_MINI, ModelFolder.readJson(PHI4_MINI.resolve("tokenizer_config.json")))
                        .containsAll(List.of("<|user|>", "<|assistant|>", "<|end|>", "<|system|>")));
    }

    @Test
    void brokenQwenTemplateFallsBackToChatMl(@TempDir Path dir) throws Exception {
        Path folder = breakTemplate(QWEN, dir.resolve("qwen"));
        PromptFormat f = ChatTemplates.forFolder(folder);
        // Only the default system prompt is the template's own; a conversation with one renders identically.
        assertEquals(QWEN_MULTI_TURN, f.render(MULTI_TURN));
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", f.render(HI));
    }

    @Test
    void brokenPhi4MiniTemplateFallsBackToPhi(@TempDir Path dir) throws Exception {
        PromptFormat f = ChatTemplates.forFolder(breakTemplate(PHI4_MINI, dir.resolve("phi")));
        assertEquals(PHI4_MINI_MULTI_TURN, f.render(MULTI_TURN));
        assertEquals("<|user|>Hi<|end|><|assistant|>", f.render(HI));
    }

    /** A copy of the config whose template ends in a filter Jinja2 does not have. */
    private static Path breakTemplate(Path config, Path to) throws Exception {
        Files.createDirectories(to);
        var om = new com.fasterxml.jackson.databind.ObjectMapper();
        var cfg = (com.fasterxml.jackson.databind.node.ObjectNode)
                om.readTree(config.resolve("tokenizer_config.json").toFile());
        cfg.put("chat_template", cfg.path("chat_template").asText() + "{{ messages|no_such_filter }}");
        om.writeValue(to.resolve("tokenizer_config.json").toFile(), cfg);
        return to;
    }
}
