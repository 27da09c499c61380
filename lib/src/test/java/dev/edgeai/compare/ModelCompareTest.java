package dev.edgeai.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.client.OpenAiClient;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison runs on the benchmark core and keeps its own shape: groups slm/llm, prompt text, its table. */
class ModelCompareTest {
    static OpenAiClient client(ScriptedServer s) {
        return OpenAiClient.builder()
                .baseUrl(s.baseUrl())
                .maxRetries(0)
                .backoffBase(Duration.ofMillis(1))
                .build();
    }

    @Test
    void bothModelsAreMeasuredWarmupExcludedInTheComparesShape() {
        try (var server = ScriptedServer.builder()
                .model(
                        "small-1b",
                        Script.builder().ttftMs(20).tokens("Small", " answer.").build())
                .model(
                        "large-9b",
                        Script.builder()
                                .ttftMs(50)
                                .tokens("Large", " answer", " here.")
                                .build())
                .start()) {
            List<String> progress = new ArrayList<>();
            var o = new CompareOptions("small-1b", "large-9b", "Why SLMs?", "Be brief.", 2, 1, 32, 0.0, 7L);
            RunResult r = ModelCompare.run(client(server), o, Map.of("slm", "small-1b"), progress::add);
            assertTrue(r.complete(), r::note);
            assertEquals("model_compare", r.meta().tool());
            assertEquals(List.of("small-1b", "large-9b"), r.meta().models());
            assertEquals("small-1b", r.meta().options().get("slm"), "the script's options come first");
            assertEquals(
                    List.of("slm", "slm", "slm", "llm", "llm", "llm"),
                    r.samples().stream().map(Sample::group).toList());
            assertEquals(2, r.samples().stream().filter(Sample::warmup).count());
            assertTrue(
                    r.samples().stream().allMatch(s -> "Why SLMs?".equals(s.prompt())), "the prompt text, not an id");
            assertEquals(
                    List.of("slm", "llm"),
                    r.summaries().stream().map(x -> x.group()).toList());
            assertEquals(
                    3, r.summaries().get(1).metrics().get("completion_tokens").mean());
            assertTrue(r.summaries().get(1).metrics().get("ttft_ms").mean() >= 50);
            assertEquals(6, progress.size(), progress::toString);
            assertTrue(progress.get(1).startsWith("slm small-1b round 1/2: TTFT"), progress::toString);
            var sent = server.requests().stream()
                    .filter(q -> q.path().endsWith("/chat/completions"))
                    .toList();
            assertEquals(6, sent.size());
            sent.forEach(q -> {
                assertEquals(32, q.json().path("max_tokens").asInt());
                assertEquals(7, q.json().path("seed").asInt());
                assertEquals(
                        "Be brief.",
                        q.json().path("messages").get(0).path("content").asText());
            });
            String table = ModelCompare.table(r, 30);
            assertTrue(table.contains("Small answer.") && table.contains("Large answer here."), table);
        }
    }

    @Test
    void aModelThatFailsItsWarmupIsNotMeasuredAndTheRunIsMarkedIncomplete() {
        try (var server = ScriptedServer.builder()
                .model("small-1b", Script.builder().tokenCount(3).build())
                .model(
                        "large-9b",
                        Script.builder()
                                .failFirst(500, 500, 500)
                                .failMessage("CUDA out of memory")
                                .build())
                .start()) {
            var o = new CompareOptions("small-1b", "large-9b", "hi", null, 2, 1, 16, 0.0);
            RunResult r = ModelCompare.run(client(server), o, Map.of(), s -> {});
            assertFalse(r.complete());
            assertTrue(
                    r.note().contains("llm large-9b failed its warmup")
                            && r.note().contains("CUDA"),
                    r.note());
            assertEquals(
                    1, r.samples().stream().filter(s -> "llm".equals(s.group())).count(), "the warmup only");
            assertEquals(
                    2,
                    r.samples().stream()
                            .filter(s -> "slm".equals(s.group()) && s.ok() && !s.warmup())
                            .count());
            String table = ModelCompare.table(r, 30);
            assertTrue(table.contains("large-9b") && table.contains("[error in warmup]"), table);
        }
    }
}
