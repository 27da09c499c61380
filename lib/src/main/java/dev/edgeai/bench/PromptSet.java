package dev.edgeai.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named list of prompts loaded from a JSONL file (one JSON object per line; blank lines and lines starting with
 * {@code //} or {@code #} are skipped). The set's name is the file name without {@code .jsonl} and becomes the
 * benchmark "group".
 */
public record PromptSet(String name, List<Prompt> prompts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PromptSet {
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) throw new IllegalArgumentException("prompt set '" + name + "' has no prompts");
    }

    /** A one-prompt set, e.g. for {@code BENCH_PROMPT}. */
    public static PromptSet single(String name, String prompt, Integer maxTokens) {
        return new PromptSet(name, List.of(new Prompt(name + "-1", prompt, maxTokens)));
    }

    /** id to prompt text, in file order (recorded in RunMeta.options so samples can refer to prompts by id). */
    public Map<String, String> texts() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Prompt p : prompts) m.put(p.id(), p.prompt());
        return m;
    }

    /**
     * Loads a prompt set. Any problem fails with a {@link PromptSetException} whose message names the file and,
     * for content errors, the 1-based line.
     */
    public static PromptSet load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PromptSetException(
                    file + ": cannot read prompt set (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    e);
        }
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".jsonl") ? fileName.substring(0, fileName.length() - 6) : fileName;
        List<Prompt> prompts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isEmpty() || line.startsWith("//") || line.startsWith("#")) continue;
            String where = file + ":" + (i + 1) + ": ";
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new PromptSetException(
                        where + "not valid JSON ("
                                + e.getOriginalMessage().lines().findFirst().orElse("") + ")",
                        e);
            }
            if (n == null || !n.isObject())
                throw new PromptSetException(where + "expected a JSON object like "
                        + "{\"id\":\"short-1\",\"prompt\":\"...\",\"max_tokens\":128}");
            JsonNode p = n.get("prompt");
            if (p == null || !p.isTextual() || p.asText().isBlank()) {
                throw new PromptSetException(where + "missing or empty \"prompt\" (a string)");
            }
            JsonNode idNode = n.get("id");
            String id = idNode == null || idNode.isNull() ? name + "-" + (prompts.size() + 1) : idNode.asText();
            if (!ids.add(id)) throw new PromptSetException(where + "duplicate id \"" + id + "\"");
            JsonNode mt = n.get("max_tokens");
            Integer maxTokens = null;
            if (mt != null && !mt.isNull()) {
                if (!mt.canConvertToInt() || !mt.isIntegralNumber() || mt.asInt() < 1) {
                    throw new PromptSetException(where + "\"max_tokens\" must be a positive integer, was " + mt);
                }
                maxTokens = mt.asInt();
            }
            prompts.add(new Prompt(id, p.asText(), maxTokens));
        }
        if (prompts.isEmpty()) throw new PromptSetException(file + ": no prompts in file");
        return new PromptSet(name, prompts);
    }

    /** A prompt set file that cannot be used; the message names the file (and line). */
    public static final class PromptSetException extends IllegalArgumentException {
        public PromptSetException(String message) {
            super(message);
        }

        public PromptSetException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
