package dev.edgeai.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a QA set: JSON Lines, one {@code {"id","kind","question","reference","keywords":[...],"source"}} per line
 * (blank lines and lines starting with # are skipped). Errors name the file and line.
 */
public final class QaSet {
    public static final Path DEFAULT = Path.of("data/qa/workshop.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    private QaSet() {}

    public static List<QaItem> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read QA set " + file + ": " + e.getMessage() + " (the default set is " + DEFAULT + ")", e);
        }
        List<QaItem> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = file + ":" + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(where + " is not a JSON object: " + e.getOriginalMessage());
            }
            if (n == null || !n.isObject()) throw new IllegalArgumentException(where + " is not a JSON object");
            String id = text(n, "id");
            String question = text(n, "question");
            if (id == null || question == null || question.isBlank()) {
                throw new IllegalArgumentException(where + " needs \"id\" and \"question\"");
            }
            if (!ids.add(id)) throw new IllegalArgumentException(where + ": duplicate id '" + id + "'");
            List<String> keywords = new ArrayList<>();
            for (JsonNode k : n.path("keywords")) keywords.add(k.asText());
            QaItem item = new QaItem(id, text(n, "kind"), question, text(n, "reference"), keywords, text(n, "source"));
            if (item.answerable() && keywords.isEmpty() && item.reference().isBlank()) {
                throw new IllegalArgumentException(
                        where + ": an answerable question needs \"keywords\" or a \"reference\"");
            }
            items.add(item);
        }
        if (items.isEmpty()) throw new IllegalArgumentException(file + " holds no questions");
        return items;
    }

    /** The first {@code n} items (all when n <= 0): a quick subset for notebooks and smoke runs. */
    public static List<QaItem> first(List<QaItem> items, int n) {
        return n <= 0 || n >= items.size() ? items : items.subList(0, n);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
