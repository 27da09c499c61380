package dev.edgeai.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.client.OpenAiClient;
import dev.edgeai.results.RunResult;
import dev.edgeai.retrieval.Embedder;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A served model the catalog does not list gets a default entry instead of stopping the router. */
class ServedModelsRouterTest {
    static final Path DATA = Path.of("").toAbsolutePath().getParent().resolve("data");
    static ModelCatalog catalog;
    static IntentClassifier classifier;

    @BeforeAll
    static void load() {
        catalog = ModelCatalog.load(DATA.resolve("models.json"));
        classifier = new IntentClassifier(
                List.of(
                        new LabelledPrompt("Hi there!", Intent.CHAT, "a:1"),
                        new LabelledPrompt("Write a Python function to add two numbers.", Intent.CODE, "a:2")),
                Embedder.miniLm());
    }

    @Test
    void anUnlistedModelIsSizedByItsIdOrItsPartWithCostsUnknown() {
        CatalogModel small = catalog.entryFor("slm-fake", "slm");
        assertEquals("slm", small.sizeClass());
        assertFalse(small.costsKnown());
        assertEquals(
                "llm", catalog.entryFor("mistral-7b-instruct", "slm").sizeClass(), "7B is large, whatever the part");
        assertEquals("slm", catalog.entryFor("llama3.2:1b", "llm").sizeClass(), "1B is small");
        assertEquals(
                "phi-4-mini",
                catalog.entryFor("Phi-4-mini-instruct-generic-cpu:4", "llm").alias(),
                "listed");
        assertEquals(3.8, catalog.paramsB("Phi-4-mini-instruct-generic-cpu:4"));
        assertTrue(Double.isNaN(catalog.paramsB("slm-fake")));
    }

    @Test
    void routesEasyRequestsToTheUnlistedSmallModelAndCodeToTheLargeOne() {
        Router router = Router.forServed(catalog, classifier, "slm-fake", "llm-fake");
        Router.Decision chat = router.route("Hi there, how are you?");
        assertEquals("slm-fake", chat.target().name());
        assertTrue(chat.explain().contains("costs unknown"), chat.explain());
        assertEquals(
                "llm-fake",
                router.route("Write a SQL query that counts users").target().name());
    }

    @Test
    void measuringWithUnknownCostsSaysSoInsteadOfPrintingNaN() {
        try (var server = ScriptedServer.builder()
                .models(
                        List.of("slm-fake", "llm-fake"),
                        Script.builder().tokenCount(3).build())
                .start()) {
            Router router = Router.forServed(catalog, classifier, "slm-fake", "llm-fake");
            RunResult run = RouterEval.measure(
                    OpenAiClient.of(server.baseUrl()), router, RouterEval.classify(router), 8, Map.of(), s -> {});
            String table = RouterEval.costTable(RouterEval.compare(run));
            assertTrue(table.contains("unknown") && !table.contains("NaN"), table);
            assertTrue(table.contains("cost unknown (a model is not in data/models.json)"), table);
            assertEquals(4, run.samples().size());
            assertTrue(run.samples().stream().allMatch(s -> s.ok()));
        }
    }
}
