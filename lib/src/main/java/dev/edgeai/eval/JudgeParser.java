package dev.edgeai.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * Reads a judge's reply, strictly: one JSON object with integer fields coherence, factuality and brevity in 1..5,
 * optionally wrapped in a single ```json fence (models add it even when told not to). Anything else — prose
 * around the object, two objects, "4.5", "4" as a string, a missing or duplicate field — is rejected with the
 * reason. Grades are never pulled out of free text: a reply we cannot read is unscored, not guessed.
 */
public final class JudgeParser {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();
    private static final List<String> FIELDS = List.of("coherence", "factuality", "brevity");

    private JudgeParser() {}

    /** A parsed rubric, or why the reply was rejected. */
    public sealed interface Parsed {
        record Ok(Rubric rubric) implements Parsed {}

        record Rejected(String reason) implements Parsed {}
    }

    public static Parsed parse(String reply) {
        if (reply == null || reply.isBlank()) return new Parsed.Rejected("empty reply");
        String t = reply.strip();
        if (t.startsWith("```")) {
            int nl = t.indexOf('\n');
            if (nl < 0 || !t.endsWith("```") || t.length() < nl + 4)
                return new Parsed.Rejected("unterminated code fence");
            String lang = t.substring(3, nl).strip();
            if (!lang.isEmpty() && !lang.equalsIgnoreCase("json"))
                return new Parsed.Rejected("code fence is not json: " + lang);
            t = t.substring(nl + 1, t.length() - 3).strip();
        }
        JsonNode n;
        try {
            n = STRICT.readTree(t);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Parsed.Rejected("not a single JSON object: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) return new Parsed.Rejected("not a JSON object");
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            JsonNode f = n.get(FIELDS.get(i));
            if (f == null) return new Parsed.Rejected("missing field \"" + FIELDS.get(i) + "\"");
            if (!f.isIntegralNumber()) return new Parsed.Rejected("\"" + FIELDS.get(i) + "\" is not an integer: " + f);
            if (!f.canConvertToInt() || f.intValue() < 1 || f.intValue() > 5) {
                return new Parsed.Rejected("\"" + FIELDS.get(i) + "\" is outside 1..5: " + f);
            }
            v[i] = f.intValue();
        }
        return new Parsed.Ok(new Rubric(v[0], v[1], v[2]));
    }
}
