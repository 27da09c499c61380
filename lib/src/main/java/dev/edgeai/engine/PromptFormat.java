package dev.edgeai.engine;

import dev.edgeai.chat.ChatMessage;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Turns a conversation into the prompt text a model was trained on. Built by {@link ChatTemplates#forFolder}. */
public sealed interface PromptFormat {
    String render(List<ChatMessage> messages);

    /** Whether the tokenizer should add its special tokens (BOS): not when the template writes them itself. */
    boolean addSpecialTokens();

    /** One line for logs: which format and where it came from. */
    String describe();

    /**
     * A Hugging Face Jinja chat template, rendered as transformers renders it ({@link dev.edgeai.engine.template.HfJinja});
     * {@code fallback} (chosen by the model's special tokens) when it cannot be rendered. {@code clock} is what the
     * template's {@code strftime_now} reads (today's date in the default zone unless a test fixes it).
     */
    record Jinja(String template, String bosToken, String eosToken, String source, PromptFormat fallback, Clock clock)
            implements PromptFormat {
        @Override
        public String render(List<ChatMessage> messages) {
            return ChatTemplates.renderJinja(this, messages);
        }

        @Override
        public boolean addSpecialTokens() {
            return false;
        }

        @Override
        public String describe() {
            return "chat_template from " + source;
        }

        /** The same template reading another clock (its fallback too): deterministic dates in tests. */
        public Jinja withClock(Clock c) {
            return new Jinja(
                    template, bosToken, eosToken, source, fallback instanceof Harmony ? new Harmony(c) : fallback, c);
        }
    }

    /** Foundry Local's inference_model.json: one template per role with {Content}, "prompt" for the last user turn. */
    record Foundry(Map<String, String> templates, String source) implements PromptFormat {
        @Override
        public String render(List<ChatMessage> messages) {
            return ChatTemplates.renderFoundry(this, messages);
        }

        @Override
        public boolean addSpecialTokens() {
            return true;
        }

        @Override
        public String describe() {
            return "PromptTemplate from " + source;
        }
    }

    /**
     * ChatML, for models with {@code <|im_start|>} (Qwen, SmolLM, ...): {@code <|im_start|>role\ncontent<|im_end|>\n}.
     * {@code imSep} is Phi-4's variant: {@code <|im_start|>role<|im_sep|>content<|im_end|>}, turns not separated.
     */
    record ChatMl(boolean imSep) implements PromptFormat {
        public ChatMl() {
            this(false);
        }

        @Override
        public String render(List<ChatMessage> messages) {
            String afterRole = imSep ? "<|im_sep|>" : "\n", afterTurn = imSep ? "" : "\n";
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages)
                sb.append("<|im_start|>")
                        .append(m.role())
                        .append(afterRole)
                        .append(m.content())
                        .append("<|im_end|>")
                        .append(afterTurn);
            return sb.append("<|im_start|>assistant").append(afterRole).toString();
        }

        @Override
        public boolean addSpecialTokens() {
            return false;
        }

        @Override
        public String describe() {
            return imSep ? "ChatML fallback (Phi-4 <|im_sep|>)" : "ChatML fallback";
        }
    }

    /** Llama 3 headers: {@code <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>}, contents trimmed. */
    record Llama3() implements PromptFormat {
        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder("<|begin_of_text|>");
            for (ChatMessage m : messages)
                sb.append("<|start_header_id|>")
                        .append(m.role())
                        .append("<|end_header_id|>\n\n")
                        .append(m.content().strip())
                        .append("<|eot_id|>");
            return sb.append("<|start_header_id|>assistant<|end_header_id|>\n\n")
                    .toString();
        }

        @Override
        public boolean addSpecialTokens() {
            return false;
        }

        @Override
        public String describe() {
            return "Llama 3 header fallback";
        }
    }

    /**
     * Phi-3/Phi-4-mini: {@code <|role|>content<|end|>} then {@code <|assistant|>}. {@code newlines}: Phi-3 puts a
     * newline after each role tag and each {@code <|end|>}; Phi-4-mini's template writes none.
     */
    record Phi(boolean newlines) implements PromptFormat {
        @Override
        public String render(List<ChatMessage> messages) {
            String nl = newlines ? "\n" : "";
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages)
                sb.append("<|")
                        .append(m.role())
                        .append("|>")
                        .append(nl)
                        .append(m.content())
                        .append("<|end|>")
                        .append(nl);
            return sb.append("<|assistant|>").append(nl).toString();
        }

        @Override
        public boolean addSpecialTokens() {
            return false;
        }

        @Override
        public String describe() {
            return newlines ? "Phi-3 fallback" : "Phi-4-mini fallback";
        }
    }

    /**
     * gpt-oss Harmony, as its chat template renders a plain conversation: the fixed system message (with today's date
     * from {@code clock} and medium reasoning), a leading system message as the developer's instructions, then
     * {@code <|start|>role<|message|>content<|end|>} turns, assistant turns on the final channel.
     */
    record Harmony(Clock clock) implements PromptFormat {
        public Harmony() {
            this(Clock.systemDefaultZone());
        }

        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder(
                    "<|start|>system<|message|>You are ChatGPT, a large language model trained by OpenAI.\n"
                            + "Knowledge cutoff: 2024-06\nCurrent date: " + LocalDate.now(clock)
                            + "\n\nReasoning: medium\n\n"
                            + "# Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>");
            int first = 0;
            if (!messages.isEmpty()
                    && (messages.get(0).role().equals("system")
                            || messages.get(0).role().equals("developer"))) {
                first = 1;
                if (!messages.get(0).content().isEmpty())
                    sb.append("<|start|>developer<|message|># Instructions\n\n")
                            .append(messages.get(0).content())
                            .append("<|end|>");
            }
            for (ChatMessage m : messages.subList(first, messages.size())) {
                if (m.role().equals("user"))
                    sb.append("<|start|>user<|message|>").append(m.content()).append("<|end|>");
                else if (m.role().equals("assistant"))
                    sb.append("<|start|>assistant<|channel|>final<|message|>")
                            .append(m.content())
                            .append("<|end|>");
            }
            return sb.append("<|start|>assistant").toString();
        }

        @Override
        public boolean addSpecialTokens() {
            return false;
        }

        @Override
        public String describe() {
            return "gpt-oss Harmony fallback";
        }
    }

    /** "User: ...\nAssistant:" for models with neither a template nor special tokens of a known chat format. */
    record Plain() implements PromptFormat {
        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages) {
                String role = m.role().isEmpty()
                        ? m.role()
                        : Character.toUpperCase(m.role().charAt(0)) + m.role().substring(1);
                sb.append(role).append(": ").append(m.content()).append('\n');
            }
            return sb.append("Assistant:").toString();
        }

        @Override
        public boolean addSpecialTokens() {
            return true;
        }

        @Override
        public String describe() {
            return "plain User:/Assistant: prompt";
        }
    }
}
