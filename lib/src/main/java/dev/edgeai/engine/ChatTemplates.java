package dev.edgeai.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.engine.template.HfJinja;
import dev.edgeai.engine.template.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Finds and renders a model folder's prompt format. */
public final class ChatTemplates {
    private static final System.Logger LOG = System.getLogger(ChatTemplates.class.getName());

    /** Formats whose fallback already warned: one warning per model, not one per request. */
    private static final Set<PromptFormat.Jinja> WARNED = ConcurrentHashMap.newKeySet();

    /** The special tokens that name a chat format; {@link #fallbackFor} looks for these. */
    private static final List<String> FORMAT_TOKENS = List.of(
            "<|start|>",
            "<|message|>",
            "<|start_header_id|>",
            "<|im_start|>",
            "<|im_sep|>",
            "<|user|>",
            "<|assistant|>",
            "<|end|>");

    // Phi-3 writes a newline right after a role tag ('<|user|>\n', '|>' + '\n'); Phi-4-mini's template does not.
    private static final Pattern PHI_NEWLINE = Pattern.compile("\\|>'?(\\s*\\+\\s*')?(\n|\\\\n)");

    private ChatTemplates() {}

    /**
     * Foundry's inference_model.json first (the folder was built for Foundry), then a Jinja chat_template
     * (tokenizer_config.json, chat_template.jinja, chat_template.json), else the format the model's special tokens
     * name (ChatML, Llama 3, Phi, Harmony), else the plain prompt.
     */
    public static PromptFormat forFolder(Path folder) {
        Path foundry = folder.resolve("inference_model.json");
        if (Files.exists(foundry)) {
            JsonNode t = ModelFolder.readJson(foundry).path("PromptTemplate");
            if (t.isObject()) {
                Map<String, String> m = new LinkedHashMap<>();
                t.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
                return new PromptFormat.Foundry(m, foundry.toString());
            }
        }
        Path configFile = folder.resolve("tokenizer_config.json");
        JsonNode cfg = ModelFolder.optionalJson(configFile);
        String template = null;
        Path source = null;
        JsonNode ct = cfg.path("chat_template");
        if (ct.isTextual()) {
            template = ct.asText();
            source = configFile;
        } else if (ct.isArray()) {
            for (JsonNode n : ct)
                if ("default".equals(n.path("name").asText()))
                    template = n.path("template").asText();
            source = configFile;
        }
        Path jinjaFile = folder.resolve("chat_template.jinja");
        if (template == null && Files.exists(jinjaFile)) {
            try {
                template = Files.readString(jinjaFile);
                source = jinjaFile;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read " + jinjaFile + ": " + e);
            }
        }
        Path ctFile = folder.resolve("chat_template.json");
        JsonNode ctJson = ModelFolder.optionalJson(ctFile).path("chat_template");
        if (template == null && ctJson.isTextual()) {
            template = ctJson.asText();
            source = ctFile;
        }
        Set<String> tokens = specialTokens(folder, cfg);
        if (template == null) {
            PromptFormat byTokens = fallbackFor(tokens, null);
            if (!(byTokens instanceof PromptFormat.Plain))
                LOG.log(
                        System.Logger.Level.WARNING,
                        folder + " has no chat template; using the " + byTokens.describe()
                                + " its special tokens name");
            return byTokens;
        }
        return jinja(
                template,
                tokenText(cfg.path("bos_token")),
                tokenText(cfg.path("eos_token")),
                source.toString(),
                tokens);
    }

    /** A template whose model's special tokens are unknown: the fallback is chosen by the tokens the template writes. */
    public static PromptFormat.Jinja jinja(String template, String bos, String eos, String source) {
        return jinja(template, bos, eos, source, Set.of());
    }

    /** A template with the model's special tokens, which choose the fallback format. */
    public static PromptFormat.Jinja jinja(
            String template, String bos, String eos, String source, Set<String> specialTokens) {
        Set<String> tokens = new LinkedHashSet<>(specialTokens);
        // The tokens a template writes are the model's too (the template was trained with them).
        for (String t : FORMAT_TOKENS) if (template.contains(t) || t.equals(bos) || t.equals(eos)) tokens.add(t);
        return new PromptFormat.Jinja(
                template,
                bos == null ? "" : bos,
                eos == null ? "" : eos,
                source,
                fallbackFor(tokens, template),
                Clock.systemDefaultZone());
    }

    /**
     * The chat format a model's special tokens name: Harmony ({@code <|start|>…<|message|>}), Llama 3 headers,
     * ChatML ({@code <|im_start|>}, Phi-4's {@code <|im_sep|>} variant), Phi ({@code <|user|>}, {@code <|assistant|>},
     * {@code <|end|>}); plain User:/Assistant: only when none matches.
     */
    static PromptFormat fallbackFor(Set<String> tokens, String template) {
        if (tokens.contains("<|start|>") && tokens.contains("<|message|>")) return new PromptFormat.Harmony();
        if (tokens.contains("<|start_header_id|>")) return new PromptFormat.Llama3();
        if (tokens.contains("<|im_start|>")) return new PromptFormat.ChatMl(tokens.contains("<|im_sep|>"));
        if (tokens.contains("<|user|>") && tokens.contains("<|assistant|>") && tokens.contains("<|end|>"))
            return new PromptFormat.Phi(
                    template == null || PHI_NEWLINE.matcher(template).find());
        return new PromptFormat.Plain();
    }

    /**
     * Special tokens of the model: tokenizer_config.json's added_tokens_decoder, additional_special_tokens and named
     * tokens, else tokenizer.json's added_tokens (read only up to that array; the file can be tens of MB).
     */
    static Set<String> specialTokens(Path folder, JsonNode cfg) {
        Set<String> tokens = new LinkedHashSet<>();
        cfg.path("added_tokens_decoder").forEach(t -> addToken(tokens, t));
        cfg.path("additional_special_tokens").forEach(t -> addToken(tokens, t));
        for (String k : List.of("bos_token", "eos_token", "unk_token", "pad_token")) addToken(tokens, cfg.path(k));
        if (cfg.has("added_tokens_decoder")) return tokens;
        Path tokenizer = folder.resolve("tokenizer.json");
        if (!Files.exists(tokenizer)) return tokens;
        try (JsonParser p = new JsonFactory().createParser(tokenizer.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return tokens;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("added_tokens")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("content") && p.currentToken() == JsonToken.VALUE_STRING) tokens.add(p.getText());
                        else p.skipChildren();
                    }
                }
                break;
            }
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "cannot read added_tokens of " + tokenizer + ": " + e.getMessage());
        }
        return tokens;
    }

    private static void addToken(Set<String> tokens, JsonNode t) {
        String s = tokenText(t);
        if (s != null && !s.isEmpty()) tokens.add(s);
    }

    private static String tokenText(JsonNode n) {
        if (n.isTextual()) return n.asText();
        if (n.isObject()) return n.path("content").asText(null);
        return null;
    }

    /** What apply_chat_template passes a template for a plain conversation. */
    static Map<String, Object> variables(PromptFormat.Jinja f, List<ChatMessage> messages) {
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatMessage m : messages) {
            // Ordered as the OpenAI message dicts transformers sees: a template's tojson/items keep this order.
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("role", m.role());
            msg.put("content", m.content());
            msgs.add(msg);
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", msgs);
        vars.put("bos_token", f.bosToken());
        vars.put("eos_token", f.eosToken());
        vars.put("add_generation_prompt", true);
        return vars;
    }

    static String renderJinja(PromptFormat.Jinja f, List<ChatMessage> messages) {
        String problem;
        try {
            String out = HfJinja.render(f.template(), variables(f, messages), f.clock());
            if (!out.isBlank()) return out;
            problem = "the template rendered an empty prompt";
        } catch (TemplateException e) {
            // The template rejected this conversation (e.g. roles must alternate): a fallback would hide a real
            // mistake.
            if (e.raised())
                throw new ChatException(
                        ChatException.Kind.INVALID_INPUT,
                        "the chat template of this model rejects the conversation: " + e.getMessage());
            problem = e.getMessage();
        }
        if (WARNED.add(f)) {
            String chosen = f.fallback() instanceof PromptFormat.Plain
                    ? "no known chat format among its special tokens"
                    : "the format its special tokens name";
            LOG.log(
                    System.Logger.Level.WARNING,
                    "chat template from " + f.source() + " cannot be rendered here (" + problem + "); using the "
                            + f.fallback().describe() + ", " + chosen + " (warned once per model)");
        }
        return f.fallback().render(messages);
    }

    static String renderFoundry(PromptFormat.Foundry f, List<ChatMessage> messages) {
        Map<String, String> t = f.templates();
        StringBuilder sb = new StringBuilder();
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) if (messages.get(i).role().equals("user")) lastUser = i;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String tpl =
                    i == lastUser && t.containsKey("prompt") ? t.get("prompt") : t.getOrDefault(m.role(), "{Content}");
            sb.append(tpl.replace("{Content}", m.content()));
        }
        if (!t.containsKey("prompt") && t.containsKey("assistant")) {
            String a = t.get("assistant");
            int at = a.indexOf("{Content}");
            sb.append(at >= 0 ? a.substring(0, at) : a);
        }
        return sb.toString();
    }
}
