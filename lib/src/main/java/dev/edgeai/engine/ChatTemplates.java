package dev.edgeai.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.edgeai.chat.ChatMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds and renders a model folder's prompt format. */
public final class ChatTemplates {
    private static final System.Logger LOG = System.getLogger(ChatTemplates.class.getName());
    // trimBlocks + lstripBlocks is what transformers' apply_chat_template uses; with them jinjava renders
    // Phi-3/4, Llama-2, Gemma and DeepSeek templates byte-identically (DESIGN.md §5).
    private static final Jinjava JINJAVA = new Jinjava(JinjavaConfig.newBuilder()
            .withTrimBlocks(true).withLstripBlocks(true).build());

    static {
        JINJAVA.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplates.class, "raiseException", String.class));
    }

    // jinjava wraps exceptions from functions into its own error list; remember the template's own words.
    private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

    private ChatTemplates() {}

    /** Templates call raise_exception('...') to reject a conversation; jinjava reports it as a fatal error. */
    public static String raiseException(String message) {
        RAISED.set(message);
        throw new IllegalArgumentException(message);
    }

    /**
     * Foundry's inference_model.json first (the folder was built for Foundry), then a Jinja chat_template
     * (tokenizer_config.json, chat_template.jinja, chat_template.json), else the plain prompt.
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
        JsonNode cfg = ModelFolder.optionalJson(folder.resolve("tokenizer_config.json"));
        String template = null;
        String source = null;
        JsonNode ct = cfg.path("chat_template");
        if (ct.isTextual()) { template = ct.asText(); source = "tokenizer_config.json"; }
        else if (ct.isArray()) {
            for (JsonNode n : ct) if ("default".equals(n.path("name").asText())) template = n.path("template").asText();
            source = "tokenizer_config.json";
        }
        Path jinjaFile = folder.resolve("chat_template.jinja");
        if (template == null && Files.exists(jinjaFile)) {
            try { template = Files.readString(jinjaFile); source = jinjaFile.getFileName().toString(); }
            catch (IOException e) { LOG.log(System.Logger.Level.WARNING, "cannot read " + jinjaFile + ": " + e); }
        }
        JsonNode ctJson = ModelFolder.optionalJson(folder.resolve("chat_template.json")).path("chat_template");
        if (template == null && ctJson.isTextual()) { template = ctJson.asText(); source = "chat_template.json"; }
        if (template == null) return new PromptFormat.Plain();
        return jinja(template, tokenText(cfg.path("bos_token")), tokenText(cfg.path("eos_token")), source);
    }

    public static PromptFormat.Jinja jinja(String template, String bos, String eos, String source) {
        PromptFormat fallback = template.contains("<|im_start|>") ? new PromptFormat.ChatMl() : new PromptFormat.Plain();
        return new PromptFormat.Jinja(template, bos == null ? "" : bos, eos == null ? "" : eos, source, fallback);
    }

    private static String tokenText(JsonNode n) {
        if (n.isTextual()) return n.asText();
        if (n.isObject()) return n.path("content").asText(null);
        return null;
    }

    static String renderJinja(PromptFormat.Jinja f, List<ChatMessage> messages) {
        List<Map<String, Object>> msgs = new ArrayList<>();
        for (ChatMessage m : messages) msgs.add(Map.of("role", m.role(), "content", m.content()));
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", msgs);
        vars.put("bos_token", f.bosToken());
        vars.put("eos_token", f.eosToken());
        vars.put("add_generation_prompt", true);
        String problem;
        RAISED.remove();
        try {
            RenderResult r = JINJAVA.renderForResult(f.template(), vars);
            List<TemplateError> fatal = r.getErrors().stream()
                    .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
            String out = r.getOutput();
            String last = messages.get(messages.size() - 1).content().strip();
            if (!fatal.isEmpty()) problem = fatal.get(0).getMessage();
            // jinjava renders unknown Python string methods as empty instead of failing: a prompt that lost the
            // user's words is a failed render too.
            else if (!out.contains(last)) problem = "the rendered prompt does not contain the last message";
            else return out;
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        String raised = RAISED.get();
        RAISED.remove();
        // The template rejected this conversation (e.g. roles must alternate): a fallback would hide a real mistake.
        if (raised != null)
            throw new dev.edgeai.chat.ChatException(dev.edgeai.chat.ChatException.Kind.INVALID_INPUT,
                    "the chat template of this model rejects the conversation: " + raised);
        LOG.log(System.Logger.Level.WARNING, "chat template from " + f.source() + " cannot be rendered here (" + problem
                + "); using " + f.fallback().describe());
        return f.fallback().render(messages);
    }

    static String renderFoundry(PromptFormat.Foundry f, List<ChatMessage> messages) {
        Map<String, String> t = f.templates();
        StringBuilder sb = new StringBuilder();
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) if (messages.get(i).role().equals("user")) lastUser = i;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String tpl = i == lastUser && t.containsKey("prompt") ? t.get("prompt") : t.getOrDefault(m.role(), "{Content}");
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
