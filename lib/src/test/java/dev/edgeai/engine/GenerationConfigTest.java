package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.GenerationDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {
    @TempDir
    Path dir;

    GenerationDefaults read(String json) throws Exception {
        Files.writeString(dir.resolve("generation_config.json"), json);
        return GenerationConfig.read(dir, 1000);
    }

    @Test
    void qwenFixtureSamplesAsItsGenerationConfigSays() {
        GenerationDefaults d = GenerationConfig.read(Fixtures.QWEN_Q4, 151936);
        assertEquals(new GenerationDefaults(0.7, 0.8, 20, null, 1.1, 151936, "generation_config.json"), d);
    }

    @Test
    void withoutTheFileTheEngineIsGreedy() {
        GenerationDefaults d = GenerationConfig.read(dir, 1000);
        assertNull(d.temperature());
        assertEquals(GenerationConfig.ENGINE, d.source());
        ChatRequest r = d.applyTo(ChatRequest.of("m", "hi"));
        assertSame(Sampler.GREEDY, Sampler.of(r, new int[0]));
    }

    @Test
    void doSampleFalseIsGreedyAndNeutralOrBadValuesAreLeftToTheEngine() throws Exception {
        GenerationDefaults d =
                read("{\"do_sample\": false, \"temperature\": 0.6, \"top_p\": 0.9, \"repetition_penalty\": 1.2}");
        assertEquals(0.0, d.temperature());
        assertNull(d.topP());
        assertEquals(1.2, d.repetitionPenalty());
        d = read("{\"temperature\": \"hot\", \"top_k\": 0, \"top_p\": 7, \"min_p\": 0.05}");
        assertNull(d.temperature());
        assertNull(d.topK());
        assertNull(d.topP());
        assertEquals(0.05, d.minP());
    }

    @Test
    void aRequestKeepsWhatItGaveAndGetsTheRest() {
        GenerationDefaults d = GenerationConfig.read(Fixtures.QWEN_Q4, 151936);
        ChatRequest r = d.applyTo(
                ChatRequest.builder("m").user("hi").temperature(0.0).topK(5).build());
        assertEquals(0.0, r.temperature());
        assertEquals(5, r.topK());
        assertEquals(0.8, r.topP());
        assertEquals(1.1, r.repetitionPenalty());
    }

    @Test
    void aBrokenFileIsALoadErrorNamingIt() throws Exception {
        var e = assertThrows(dev.edgeai.chat.ChatException.class, () -> read("{temperature"));
        assertTrue(e.getMessage().contains("generation_config.json"), e.getMessage());
    }
}
