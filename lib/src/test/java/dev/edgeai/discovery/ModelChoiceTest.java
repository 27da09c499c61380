package dev.edgeai.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import dev.edgeai.discovery.ModelChoice.How;
import dev.edgeai.discovery.ModelChoice.Size;
import dev.edgeai.discovery.ModelChoice.Want;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Which served model plays which part: named, default alias, or picked by size. */
class ModelChoiceTest {
    static final String WHERE = "http://127.0.0.1:1234/v1";
    static final ToDoubleFunction<String> NO_CATALOG = id -> Double.NaN;

    static List<Want> pair(String slm, String llm) {
        return List.of(
                Want.of("slm", Size.SMALL, slm, "phi-4-mini", "--slm"),
                Want.of("llm", Size.LARGE, llm, "gpt-oss-20b", "--llm"));
    }

    @Test
    void defaultAliasesAreUsedWhenServedResolvedLikeFoundry() {
        var picks = ModelChoice.choose(
                pair(null, null),
                List.of("gpt-oss-20b-generic-cpu:1", "Phi-4-mini-instruct-generic-cpu:4"),
                NO_CATALOG,
                WHERE);
        assertEquals("Phi-4-mini-instruct-generic-cpu:4", picks.get(0).id());
        assertEquals("gpt-oss-20b-generic-cpu:1", picks.get(1).id());
        assertEquals(
                List.of(How.DEFAULT, How.DEFAULT),
                picks.stream().map(ModelChoice.Pick::how).toList());
        assertEquals("phi-4-mini", picks.get(0).label(), "shown as asked");
        assertNull(ModelChoice.describe(picks, WHERE), "nothing picked, nothing to say");
    }

    @Test
    void withoutTheDefaultsTheSmallestAndLargestServedModelsArePickedAndNamedInOneLine() {
        // Ollama-style tags: the parameter count is in the id; server order is not size order.
        var picks = ModelChoice.choose(
                pair(null, null), List.of("qwen2.5:7b", "llama3.2:1b", "qwen2.5:0.5b"), NO_CATALOG, WHERE);
        assertEquals("qwen2.5:0.5b", picks.get(0).id());
        assertEquals("qwen2.5:7b", picks.get(1).id());
        String line = ModelChoice.describe(picks, WHERE);
        assertEquals(1, line.lines().count());
        assertTrue(
                line.contains("slm = qwen2.5:0.5b")
                        && line.contains("llm = qwen2.5:7b")
                        && line.contains("phi-4-mini, gpt-oss-20b not served")
                        && line.contains("--slm, --llm")
                        && line.contains(WHERE),
                line);
    }

    @Test
    void roleWordsOrderModelsWithoutASize() {
        // The testkit's stand-ins, listed large first.
        var picks = ModelChoice.choose(pair(null, null), List.of("llm-fake", "slm-fake"), NO_CATALOG, WHERE);
        assertEquals(
                List.of("slm-fake", "llm-fake"),
                picks.stream().map(ModelChoice.Pick::id).toList());
        assertEquals(
                List.of(How.PICKED, How.PICKED),
                picks.stream().map(ModelChoice.Pick::how).toList());
    }

    @Test
    void theCatalogSizesModelsWhoseIdSaysNothing() {
        Map<String, Double> catalog = Map.of("Phi-4-mini-instruct-generic-cpu:4", 3.8, "mistral-small", 24.0);
        ToDoubleFunction<String> sizes = id -> catalog.getOrDefault(id, Double.NaN);
        var picks = ModelChoice.choose(
                pair(null, "mistral-small"),
                List.of("mistral-small", "Phi-4-mini-instruct-generic-cpu:4", "qwen2.5:7b"),
                sizes,
                WHERE);
        assertEquals("Phi-4-mini-instruct-generic-cpu:4", picks.get(0).id(), "the default alias is served");
        assertEquals(How.NAMED, picks.get(1).how());
        assertEquals(
                List.of("Phi-4-mini-instruct-generic-cpu:4", "qwen2.5:7b", "mistral-small"),
                ModelChoice.bySize(List.of("mistral-small", "Phi-4-mini-instruct-generic-cpu:4", "qwen2.5:7b"), sizes));
    }

    @Test
    void aNamedPartKeepsItsModelAndTheOtherPartPicksAnother() {
        var picks = ModelChoice.choose(
                pair("qwen2.5:0.5b", null), List.of("qwen2.5:0.5b", "qwen2.5:1.5b"), NO_CATALOG, WHERE);
        assertEquals("qwen2.5:0.5b", picks.get(0).id());
        assertEquals("qwen2.5:1.5b", picks.get(1).id());
        assertTrue(ModelChoice.describe(picks, WHERE).contains("slm = qwen2.5:0.5b (named)"));
    }

    @Test
    void oneServedModelPlaysBothParts() {
        var picks = ModelChoice.choose(pair(null, null), List.of("tinyllama"), NO_CATALOG, WHERE);
        assertEquals(
                List.of("tinyllama", "tinyllama"),
                picks.stream().map(ModelChoice.Pick::id).toList());
    }

    @Test
    void anExplicitlyNamedUnknownModelIsOneLineListingWhatIsServed() {
        var e = assertThrows(
                ChatException.class,
                () -> ModelChoice.choose(pair("mistral-7b", null), List.of("slm-fake", "llm-fake"), NO_CATALOG, WHERE));
        assertEquals(ChatException.Kind.UNKNOWN_MODEL, e.kind());
        assertEquals("unknown model 'mistral-7b' (--slm); " + WHERE + " serves slm-fake, llm-fake", e.getMessage());
        var single = assertThrows(
                ChatException.class,
                () -> ModelChoice.choose(
                        List.of(Want.of("model", Size.SMALL, "llama-70b", "phi-4-mini", "--model")),
                        List.of("phi-4-mini", "qwen2.5-7b"),
                        NO_CATALOG,
                        WHERE));
        assertEquals("unknown --model 'llama-70b'; " + WHERE + " serves phi-4-mini, qwen2.5-7b", single.getMessage());
    }

    @Test
    void aServerWithNoModelSaysHowToLoadOne() {
        var e = assertThrows(
                ChatException.class, () -> ModelChoice.choose(pair(null, null), List.of(), NO_CATALOG, WHERE));
        assertTrue(e.getMessage().contains("serves no models") && e.getMessage().contains("foundry model run"));
    }

    @Test
    void parameterCountsAreReadFromIdsButNotFromVersionNumbers() {
        assertEquals(0.5, ModelChoice.paramsB("qwen2.5:0.5b"));
        assertEquals(7, ModelChoice.paramsB("qwen2.5-7b"));
        assertEquals(20, ModelChoice.paramsB("gpt-oss-20b-generic-cpu:1"));
        assertEquals(1.5, ModelChoice.paramsB("Qwen2.5-1.5B-Instruct"));
        assertEquals(0.135, ModelChoice.paramsB("SmolLM2-135M-Instruct"), 1e-9);
        assertTrue(Double.isNaN(ModelChoice.paramsB("Phi-4-mini-instruct-generic-cpu:4")));
        assertTrue(Double.isNaN(ModelChoice.paramsB("qwen2.5")));
        assertEquals(Size.SMALL, ModelChoice.roleWord("slm-fake"));
        assertEquals(Size.LARGE, ModelChoice.roleWord("llm-fake"));
        assertNull(ModelChoice.roleWord("llama3.2:latest"));
    }
}
