package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFormatTest {
    static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are terse."),
            ChatMessage.user("Hi there"),
            ChatMessage.assistant("Hello."),
            ChatMessage.user("What is ONNX?"));

    @Test
    void llama2TemplateFromTheFixture() {
        PromptFormat f = ChatTemplates.forFolder(Fixtures.LLAMA);
        assertInstanceOf(PromptFormat.Jinja.class, f);
        assertEquals(
                "<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi there [/INST] Hello. </s><s>[INST] What is ONNX? [/INST]",
                f.render(CONVERSATION));
        assertFalse(f.addSpecialTokens(), "the template writes <s> itself");
    }

    @Test
    void llama2TemplateRaisesOnNonAlternatingRoles() {
        PromptFormat f = ChatTemplates.forFolder(Fixtures.LLAMA);
        var e = assertThrows(
                ChatException.class, () -> f.render(List.of(ChatMessage.user("a"), ChatMessage.user("b"))));
        assertTrue(e.getMessage().contains("alternate"), e.getMessage());
    }

    static final String PHI =
            "{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}"
                    + "{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}"
                    + "{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}";

    @Test
    void phiStyleTemplate() {
        PromptFormat f = ChatTemplates.jinja(PHI, "<s>", "<|endoftext|>", "test");
        assertEquals(
                "<|system|>\nYou are terse.<|end|>\n<|user|>\nHi there<|end|>\n<|assistant|>\nHello.<|end|>\n"
                        + "<|user|>\nWhat is ONNX?<|end|>\n<|assistant|>\n",
                f.render(CONVERSATION));
    }

    @Test
    void qwenStyleTemplateWithPythonMethodsRendersItself() {
        // Slicing with a step and Python string methods: the template's own output drops the reasoning, which the
        // ChatML fallback would keep.
        String qwenish =
                "{%- for message in messages[::-1] %}{%- if message.content.startswith('<tool_response>') %}x{%- endif %}{%- endfor %}"
                        + "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content.split('</think>')[-1].lstrip('\\n') + '<|im_end|>\\n' }}{%- endfor %}"
                        + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";
        PromptFormat f = ChatTemplates.jinja(qwenish, "", "<|im_end|>", "test");
        assertEquals(
                "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n"
                        + "<|im_start|>user\nWhat is ONNX?<|im_end|>\n<|im_start|>assistant\n",
                f.render(List.of(
                        ChatMessage.user("Hi there"),
                        ChatMessage.assistant("<think>\nmulling\n</think>\n\nHello."),
                        ChatMessage.user("What is ONNX?"))));
    }

    @Test
    void templateThatCannotRenderFallsBackToTheModelsFormatAndWarnsOnce() {
        String broken = "{% for m in messages %}{{ '<|im_start|>' + m.role }}{{ no_such_function() }}{% endfor %}";
        PromptFormat.Jinja f = ChatTemplates.jinja(broken, "", "<|im_end|>", "broken-for-warning-test");
        assertEquals(new PromptFormat.ChatMl(), f.fallback());
        List<LogRecord> logged = captureWarnings(() -> {
            String chatMl = new PromptFormat.ChatMl().render(CONVERSATION);
            assertEquals(chatMl, f.render(CONVERSATION));
            assertEquals(chatMl, f.render(CONVERSATION));
        });
        assertEquals(1, logged.size(), "one warning per model, not per request: " + logged);
        String msg = logged.get(0).getMessage();
        assertTrue(
                msg.contains("broken-for-warning-test")
                        && msg.contains("no_such_function")
                        && msg.contains("ChatML fallback"),
                msg);
    }

    @Test
    void eachFallbackRendersItsDocumentedFormat() {
        assertEquals(
                "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n"
                        + "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nWhat is ONNX?<|im_end|>\n<|im_start|>assistant\n",
                new PromptFormat.ChatMl().render(CONVERSATION));
        assertEquals(
                "<|im_start|>system<|im_sep|>You are terse.<|im_end|><|im_start|>user<|im_sep|>Hi there<|im_end|>"
                        + "<|im_start|>assistant<|im_sep|>Hello.<|im_end|><|im_start|>user<|im_sep|>What is ONNX?<|im_end|>"
                        + "<|im_start|>assistant<|im_sep|>",
                new PromptFormat.ChatMl(true).render(CONVERSATION));
        assertEquals(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nWhat is ONNX?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                new PromptFormat.Llama3().render(CONVERSATION));
        assertEquals(
                "<|system|>\nYou are terse.<|end|>\n<|user|>\nHi there<|end|>\n<|assistant|>\nHello.<|end|>\n"
                        + "<|user|>\nWhat is ONNX?<|end|>\n<|assistant|>\n",
                new PromptFormat.Phi(true).render(CONVERSATION));
        assertEquals(
                "<|system|>You are terse.<|end|><|user|>Hi there<|end|><|assistant|>Hello.<|end|><|user|>What is ONNX?<|end|><|assistant|>",
                new PromptFormat.Phi(false).render(CONVERSATION));
        Clock july4 = Clock.fixed(Instant.parse("2026-07-04T09:00:00Z"), ZoneOffset.UTC);
        String harmonySystem = "<|start|>system<|message|>You are ChatGPT, a large language model trained by OpenAI.\n"
                + "Knowledge cutoff: 2024-06\nCurrent date: 2026-07-04\n\nReasoning: medium\n\n"
                + "# Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>";
        assertEquals(
                harmonySystem + "<|start|>developer<|message|># Instructions\n\nYou are terse.<|end|>"
                        + "<|start|>user<|message|>Hi there<|end|><|start|>assistant<|channel|>final<|message|>Hello.<|end|>"
                        + "<|start|>user<|message|>What is ONNX?<|end|><|start|>assistant",
                new PromptFormat.Harmony(july4).render(CONVERSATION));
        assertEquals(
                harmonySystem + "<|start|>user<|message|>Hi<|end|><|start|>assistant",
                new PromptFormat.Harmony(july4).render(List.of(ChatMessage.user("Hi"))));
        assertEquals(
                "System: You are terse.\nUser: Hi there\nAssistant: Hello.\nUser: What is ONNX?\nAssistant:",
                new PromptFormat.Plain().render(CONVERSATION));
    }

    @Test
    void fallbackIsChosenByTheModelsSpecialTokens() {
        assertEquals(
                new PromptFormat.ChatMl(false), ChatTemplates.fallbackFor(Set.of("<|im_start|>", "<|im_end|>"), null));
        assertEquals(
                new PromptFormat.ChatMl(true),
                ChatTemplates.fallbackFor(Set.of("<|im_start|>", "<|im_sep|>", "<|im_end|>"), null));
        assertEquals(
                new PromptFormat.Llama3(),
                ChatTemplates.fallbackFor(Set.of("<|begin_of_text|>", "<|start_header_id|>"), null));
        Set<String> phi = Set.of("<|user|>", "<|assistant|>", "<|end|>", "<|system|>");
        assertEquals(
                new PromptFormat.Phi(false),
                ChatTemplates.fallbackFor(phi, "{{ '<|' + m['role'] + '|>' + m['content'] + '<|end|>' }}"));
        assertEquals(
                new PromptFormat.Phi(true),
                ChatTemplates.fallbackFor(phi, "{{ '<|' + m['role'] + '|>' + '\\n' + m['content'] }}"));
        assertEquals(
                new PromptFormat.Phi(true),
                ChatTemplates.fallbackFor(phi, "{{'<|user|>\n' + m['content'] + '<|end|>\n'}}"));
        assertInstanceOf(
                PromptFormat.Harmony.class,
                ChatTemplates.fallbackFor(Set.of("<|start|>", "<|message|>", "<|end|>", "<|channel|>"), null));
        assertEquals(new PromptFormat.Plain(), ChatTemplates.fallbackFor(Set.of("<s>", "</s>", "<unk>"), null));
        // Without the model's tokens, the ones its template writes decide.
        assertEquals(
                new PromptFormat.Llama3(),
                ChatTemplates.jinja("{{ '<|start_header_id|>' + x.y.z() }}", "", "", "t")
                        .fallback());
    }

    @Test
    void specialTokensComeFromTokenizerJsonWhenTheConfigLacksThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": "<|begin_of_text|>", "chat_template": "{{ messages|no_such_filter }}"}""");
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": {"strategy": {"Fixed": 8}},
                 "added_tokens": [{"id": 0, "content": "<|begin_of_text|>", "special": true},
                                  {"id": 1, "content": "<|start_header_id|>", "special": true}],
                 "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}""");
        PromptFormat.Jinja f = assertInstanceOf(PromptFormat.Jinja.class, ChatTemplates.forFolder(dir));
        assertEquals(new PromptFormat.Llama3(), f.fallback());
        assertEquals(new PromptFormat.Llama3().render(CONVERSATION), f.render(CONVERSATION));
    }

    @Test
    void folderWithoutTemplateUsesTheFormatItsTokensName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"eos_token": "<|im_end|>", "added_tokens_decoder": {
                  "1": {"content": "<|im_start|>", "special": true}, "2": {"content": "<|im_end|>", "special": true}}}""");
        assertEquals(new PromptFormat.ChatMl(), ChatTemplates.forFolder(dir));
    }

    @Test
    void messageTextIsNeverTemplateCode() {
        PromptFormat f = ChatTemplates.jinja(PHI, "<s>", "<|endoftext|>", "test");
        assertEquals(
                "<|user|>\n{{ raise_exception('x') }}{% for %}<|end|>\n<|assistant|>\n",
                f.render(List.of(ChatMessage.user("{{ raise_exception('x') }}{% for %}"))));
    }

    @Test
    void strftimeNowIsTodayByDefaultAndFollowsTheClock() {
        // Llama 3.2's way of asking for the date: without strftime_now it would print its frozen default.
        String llama32 = "{%- if strftime_now is defined %}{%- set date_string = strftime_now(\"%d %b %Y\") %}"
                + "{%- else %}{%- set date_string = \"26 Jul 2024\" %}{%- endif %}Today Date: {{ date_string }}";
        PromptFormat.Jinja f = ChatTemplates.jinja(llama32, "", "", "test");
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH);
        String before = "Today Date: " + LocalDate.now().format(fmt);
        String out = f.render(List.of(ChatMessage.user("Hi")));
        String after = "Today Date: " + LocalDate.now().format(fmt);
        assertTrue(out.equals(before) || out.equals(after), out + " is not today (" + before + ")");
        Clock july4 = Clock.fixed(Instant.parse("2026-07-04T09:00:00Z"), ZoneOffset.UTC);
        assertEquals("Today Date: 04 Jul 2026", f.withClock(july4).render(List.of(ChatMessage.user("Hi"))));
    }

    @Test
    void brokenTemplateOfAModelWithoutAKnownFormatFallsBackToPlain() {
        PromptFormat f = ChatTemplates.jinja("{% generation %}{{ messages[0].content }}", "", "", "test");
        assertEquals(
                "System: You are terse.\nUser: Hi there\nAssistant: Hello.\nUser: What is ONNX?\nAssistant:",
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
        assertEquals(
                "<|system|>\nYou are terse.<|end|>\n<|user|>\nHi there<|end|>\n<|assistant|>\nHello.<|end|>\n"
                        + "<|user|>\nWhat is ONNX?<|end|>\n<|assistant|>\n",
                f.render(CONVERSATION));
    }

    /** WARNING records ChatTemplates logs (System.Logger goes to java.util.logging here) while {@code r} runs. */
    static List<LogRecord> captureWarnings(Runnable r) {
        Logger logger = Logger.getLogger(ChatTemplates.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord rec) {
                if (rec.getLevel().intValue() >= Level.WARNING.intValue()) records.add(rec);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(h);
        try {
            r.run();
        } finally {
            logger.removeHandler(h);
        }
        return records;
    }
}
