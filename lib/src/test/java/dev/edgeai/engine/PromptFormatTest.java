package dev.edgeai.engine;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PromptFormatTest {
    static final List<ChatMessage> CONVERSATION = List.of(ChatMessage.system("You are terse."),
            ChatMessage.user("Hi there"), ChatMessage.assistant("Hello."), ChatMessage.user("What is ONNX?"));

    @Test
    void llama2TemplateFromTheFixture() {
        PromptFormat f = ChatTemplates.forFolder(Fixtures.LLAMA);
        assertInstanceOf(PromptFormat.Jinja.class, f);
        assertEquals("<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi there [/INST] Hello. </s><s>[INST] What is ONNX? [/INST]",
                f.render(CONVERSATION));
        assertFalse(f.addSpecialTokens(), "the template writes <s> itself");
    }

    @Test
    void llama2TemplateRaisesOnNonAlternatingRoles() {
        PromptFormat f = ChatTemplates.forFolder(Fixtures.LLAMA);
        var e = assertThrows(ChatException.class, () -> f.render(List.of(ChatMessage.user("a"), ChatMessage.user("b"))));
        assertTrue(e.getMessage().contains("alternate"), e.getMessage());
    }

    static final String PHI = "{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}"
            + "{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}"
            + "{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}";

    @Test
    void phiStyleTemplate() {
        PromptFormat f = ChatTemplates.jinja(PHI, "<s>", "<|endoftext|>", "test");
        assertEquals("<|system|>\nYou are terse.<|end|>\n<|user|>\nHi there<|end|>\n<|assistant|>\nHello.<|end|>\n"
                + "<|user|>\nWhat is ONNX?<|end|>\n<|assistant|>\n", f.render(CONVERSATION));
    }

    @Test
    void templateJinjavaCannotRenderFallsBackToChatMl() {
        // Qwen-style: slicing with a step and a Python string method jinjava does not have.
        String qwenish = "{%- for message in messages[::-1] %}{%- if message.content.startswith('<tool_response>') %}x{%- endif %}{%- endfor %}"
                + "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content.lstrip('\\n').split('</think>')[-1] + '<|im_end|>\\n' }}{%- endfor %}"
                + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";
        PromptFormat f = ChatTemplates.jinja(qwenish, "", "<|im_end|>", "test");
        assertEquals("<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n"
                + "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nWhat is ONNX?<|im_end|>\n<|im_start|>assistant\n",
                f.render(CONVERSATION));
    }

    @Test
    void brokenTemplateWithoutChatMlFallsBackToPlain() {
        PromptFormat f = ChatTemplates.jinja("{% generation %}{{ messages[0].content }}", "", "", "test");
        assertEquals("System: You are terse.\nUser: Hi there\nAssistant: Hello.\nUser: What is ONNX?\nAssistant:",
                f.render(CONVERSATION));
    }

    @Test
    void noTemplateGivesPlainPrompt() {
        PromptFormat f = ChatTemplates.forFolder(Fixtures.GQA);
        assertInstanceOf(PromptFormat.Plain.class, f);
        assertEquals("User: Hi\nAssistant:", f.render(List.of(ChatMessage.user("Hi"))));
        assertTrue(f.addSpecialTokens());
    }

    @Test
    void foundryInferenceModelJsonWins(@TempDir Path dir) throws Exception {
        Fixtures.copy(Fixtures.LLAMA, dir.resolve("m"));
        Files.writeString(dir.resolve("m/inference_model.json"), """
                {"Name": "Phi-4-mini-instruct-generic-cpu", "PromptTemplate": {
                  "system": "<|system|>\\n{Content}<|end|>\\n", "user": "<|user|>\\n{Content}<|end|>\\n",
                  "assistant": "<|assistant|>\\n{Content}<|end|>\\n", "prompt": "<|user|>\\n{Content}<|end|>\\n<|assistant|>\\n"}}
                """);
        PromptFormat f = ChatTemplates.forFolder(dir.resolve("m"));
        assertInstanceOf(PromptFormat.Foundry.class, f);
        assertEquals("<|system|>\nYou are terse.<|end|>\n<|user|>\nHi there<|end|>\n<|assistant|>\nHello.<|end|>\n"
                + "<|user|>\nWhat is ONNX?<|end|>\n<|assistant|>\n", f.render(CONVERSATION));
    }
}
