package dev.edgeai.engine;

import dev.edgeai.chat.ChatMessage;

import java.util.List;
import java.util.Map;

/** Turns a conversation into the prompt text a model was trained on. Built by {@link ChatTemplates#forFolder}. */
public sealed interface PromptFormat {
    String render(List<ChatMessage> messages);

    /** Whether the tokenizer should add its special tokens (BOS): not when the template writes them itself. */
    boolean addSpecialTokens();

    /** One line for logs: which format and where it came from. */
    String describe();

    /** A Hugging Face Jinja chat template, rendered with jinjava; {@code fallback} when jinjava cannot. */
    record Jinja(String template, String bosToken, String eosToken, String source, PromptFormat fallback) implements PromptFormat {
        @Override public String render(List<ChatMessage> messages) { return ChatTemplates.renderJinja(this, messages); }
        @Override public boolean addSpecialTokens() { return false; }
        @Override public String describe() { return "chat_template from " + source; }
    }

    /** Foundry Local's inference_model.json: one template per role with {Content}, "prompt" for the last user turn. */
    record Foundry(Map<String, String> templates, String source) implements PromptFormat {
        @Override public String render(List<ChatMessage> messages) { return ChatTemplates.renderFoundry(this, messages); }
        @Override public boolean addSpecialTokens() { return true; }
        @Override public String describe() { return "PromptTemplate from " + source; }
    }

    /** {@code <|im_start|>role\ncontent<|im_end|>}: the fallback for Qwen-style templates jinjava cannot run. */
    record ChatMl() implements PromptFormat {
        @Override public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages) sb.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
            return sb.append("<|im_start|>assistant\n").toString();
        }
        @Override public boolean addSpecialTokens() { return false; }
        @Override public String describe() { return "ChatML fallback"; }
    }

    /** "User: ...\nAssistant:" for models without any template (and the last resort for unreadable ones). */
    record Plain() implements PromptFormat {
        @Override public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages) {
                String role = m.role().isEmpty() ? m.role() : Character.toUpperCase(m.role().charAt(0)) + m.role().substring(1);
                sb.append(role).append(": ").append(m.content()).append('\n');
            }
            return sb.append("Assistant:").toString();
        }
        @Override public boolean addSpecialTokens() { return true; }
        @Override public String describe() { return "plain User:/Assistant: prompt"; }
    }
}
