package dev.edgeai.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JudgeParserTest {
    @Test
    void readsAStrictObjectAndOneJsonFence() {
        var ok = assertInstanceOf(
                JudgeParser.Parsed.Ok.class,
                JudgeParser.parse("{\"coherence\": 4, \"factuality\": 5, \"brevity\": 3}"));
        assertEquals(new Rubric(4, 5, 3), ok.rubric());
        var fenced = assertInstanceOf(
                JudgeParser.Parsed.Ok.class,
                JudgeParser.parse(
                        "```json\n{\"coherence\":1,\"factuality\":2,\"brevity\":5,\"reason\":\"short\"}\n```"));
        assertEquals(new Rubric(1, 2, 5), fenced.rubric());
        assertEquals(8 / 3.0, fenced.rubric().mean(), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "Coherence 4, factuality 5, brevity 3",
                "Sure! {\"coherence\": 4, \"factuality\": 5, \"brevity\": 3}",
                "{\"coherence\": 4, \"factuality\": 5, \"brevity\": 3} I hope this helps",
                "{\"coherence\": 4, \"factuality\": 5, \"brevity\": 3}{\"coherence\": 5, \"factuality\": 5, \"brevity\": 5}",
                "{\"coherence\": 4, \"factuality\": 5}",
                "{\"coherence\": 4.5, \"factuality\": 5, \"brevity\": 3}",
                "{\"coherence\": \"4\", \"factuality\": 5, \"brevity\": 3}",
                "{\"coherence\": 0, \"factuality\": 5, \"brevity\": 3}",
                "{\"coherence\": 6, \"factuality\": 5, \"brevity\": 3}",
                "{\"coherence\": 99999999999, \"factuality\": 5, \"brevity\": 3}",
                "{\"coherence\": 4, \"factuality\": 5, \"brevity\": 3, \"factuality\": 1}",
                "{\"coherence\": 4, \"factuality\": 5, \"brevity\": 3",
                "{'coherence': 4, 'factuality': 5, 'brevity': 3}",
                "[4, 5, 3]",
                "```python\n{\"coherence\": 4, \"factuality\": 5, \"brevity\": 3}\n```",
                "```json\n{\"coherence\": 4, \"factuality\": 5, \"brevity\": 3}",
                "{/* c */ \"coherence\": 4, \"factuality\": 5, \"brevity\": 3}",
                "null"
            })
    void rejectsEverythingElseWithAReason(String reply) {
        var rejected = assertInstanceOf(JudgeParser.Parsed.Rejected.class, JudgeParser.parse(reply));
        assertTrue(!rejected.reason().isBlank());
    }
}
