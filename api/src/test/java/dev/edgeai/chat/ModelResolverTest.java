package dev.edgeai.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelResolverTest {
    static final List<ModelInfo> FOUNDRY = models(
            "Phi-4-mini-instruct-generic-cpu:4",
            "Phi-4-mini-instruct-generic-cpu:3",
            "qwen2.5-7b-instruct-generic-cpu:3",
            "gpt-oss-20b-cuda-gpu:1",
            "gpt-oss-20b-generic-cpu:1");
    static final List<ModelInfo> OLLAMA = models("qwen2.5:7b", "llama3.2:latest", "phi4-mini:latest");

    static List<ModelInfo> models(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new ModelInfo(id, null)).toList();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "Phi-4-mini-instruct-generic-cpu:3, Phi-4-mini-instruct-generic-cpu:3", // exact id wins
        "phi-4-mini-instruct-generic-cpu:3, Phi-4-mini-instruct-generic-cpu:3", // case-insensitive
        "Phi-4-mini-instruct-generic-cpu, Phi-4-mini-instruct-generic-cpu:4", // no version: highest
        "phi-4-mini, Phi-4-mini-instruct-generic-cpu:4", // alias prefix
        "qwen2.5-7b, qwen2.5-7b-instruct-generic-cpu:3",
        "gpt-oss-20b, gpt-oss-20b-cuda-gpu:1", // accelerated variant first
    })
    void resolvesFoundryStyle(String requested, String expected) {
        assertEquals(expected, ModelResolver.resolve(requested, FOUNDRY));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "qwen2.5:7b, qwen2.5:7b",
        "llama3.2, llama3.2:latest",
        "qwen2.5-7b, qwen2.5:7b",
        "phi-4-mini, phi4-mini:latest"
    })
    void resolvesOllamaTags(String requested, String expected) {
        assertEquals(expected, ModelResolver.resolve(requested, OLLAMA));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            value = {"!!!", "模型", "\uD800", "-", ":", "'  ::  '", "..."},
            quoteCharacter = '\'')
    void aNameWithNothingToMatchMatchesNothing(String requested) {
        assertTrue(
                ModelResolver.find(requested, OLLAMA.stream().map(ModelInfo::id).toList())
                        .isEmpty(),
                requested);
        assertTrue(
                ModelResolver.find(
                                requested, FOUNDRY.stream().map(ModelInfo::id).toList())
                        .isEmpty(),
                requested);
        ChatException e = assertThrows(ChatException.class, () -> ModelResolver.resolve(requested, OLLAMA));
        assertEquals(ChatException.Kind.UNKNOWN_MODEL, e.kind());
    }

    @Test
    void unknownModelListsWhatExists() {
        ChatException e = assertThrows(ChatException.class, () -> ModelResolver.resolve("mistral-7b", FOUNDRY));
        assertEquals(ChatException.Kind.UNKNOWN_MODEL, e.kind());
        assertTrue(e.getMessage().contains("'mistral-7b'"), e.getMessage());
        assertTrue(e.getMessage().contains("Phi-4-mini-instruct-generic-cpu:4"), e.getMessage());
    }

    @Test
    void noModelsLoadedSaysHowToLoadOne() {
        ChatException e = assertThrows(ChatException.class, () -> ModelResolver.resolve("phi-4-mini", List.of()));
        assertTrue(e.getMessage().contains("foundry model run"), e.getMessage());
    }
}
