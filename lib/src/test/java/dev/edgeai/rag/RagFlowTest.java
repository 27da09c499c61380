package dev.edgeai.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatMessage;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.results.Recorder;
import dev.edgeai.results.Sample;
import dev.edgeai.retrieval.ContextBuilder;
import dev.edgeai.retrieval.Mode;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.retrieval.SearchResult;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RAG flow against a real retriever and a scripted server: prompt, no-context policies, escalation. */
class RagFlowTest {
    @TempDir
    static Path tmp;

    static ScriptedServer server;
    static Retriever retriever;
    static final List<Sample> recorded = new ArrayList<>();
    static Recorder recorder;

    static final RagFlow.Escalation ON_REFUSAL = (q, answer, found) -> answer.contains("don't know") ? "refusal" : null;

    @BeforeAll
    static void start() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("kv.md"),
                "# KV cache\n\nThe KV cache stores keys and values of past tokens so decoding is fast.\n");
        Files.writeString(
                docs.resolve("ttft.md"), "# TTFT\n\nTime to first token is measured from request to token.\n");
        retriever = Retriever.open(
                docs, Retriever.Options.defaults().withMode(Mode.BM25).withCacheDir(tmp.resolve("index")));
        server = ScriptedServer.builder()
                .model(
                        "slm",
                        Script.builder()
                                .ttftMs(10)
                                .reply("zebra", "I don't know.")
                                .reply("KV cache", "It stores keys and values [1].")
                                .build())
                .model(
                        "llm",
                        Script.builder()
                                .ttftMs(20)
                                .tokens("Keys", " and", " values", " [1].")
                                .build())
                .start();
        recorder = new Recorder(OpenAiClient.of(server.baseUrl())).listen(new Recorder.Listener() {
            @Override
            public void onResponse(Recorder.Context c) {
                recorded.add(c.sample());
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode lastRequest() {
        var chats = server.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions"))
                .toList();
        return chats.getLast().json();
    }

    @Test
    void retrievesBuildsTheGroundedPromptAndStreams() {
        List<String> tokens = new ArrayList<>();
        SearchResult[] seen = new SearchResult[1];
        RagFlow flow = new RagFlow(recorder, retriever::search, RagFlow.Options.defaults());
        int before = recorded.size();
        RagFlow.Answer a = flow.answer(
                RagFlow.Ask.of("What does the KV cache store?", "slm")
                        .history(List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello.")))
                        .generation(32, 0.0, 7L),
                new RagFlow.Events() {
                    @Override
                    public void onRetrieval(SearchResult found) {
                        seen[0] = found;
                    }

                    @Override
                    public void onToken(String text) {
                        tokens.add(text);
                    }
                });
        assertEquals("It stores keys and values [1].", a.text());
        assertEquals(a.text(), String.join("", tokens), "streamed as it came");
        assertFalse(a.refused() || a.withoutContext() || a.escalated());
        assertEquals("kv.md", seen[0].hits().getFirst().source());
        JsonNode req = lastRequest();
        JsonNode messages = req.path("messages");
        assertEquals(
                ContextBuilder.SYSTEM_PROMPT, messages.get(0).path("content").asText());
        assertEquals("Hi", messages.get(1).path("content").asText(), "history between system prompt and question");
        assertEquals(
                ContextBuilder.userMessage("What does the KV cache store?", seen[0]),
                messages.get(3).path("content").asText());
        assertEquals(32, req.path("max_tokens").asInt());
        assertEquals(7, req.path("seed").asInt());
        assertEquals(
                List.of("rag"),
                recorded.subList(before, recorded.size()).stream()
                        .map(Sample::group)
                        .toList());
        assertTrue((double) a.calls().getFirst().attributes().get(RagFlow.PREP_MS) >= seen[0].tookMs());
    }

    @Test
    void nothingRelevantIsRefusedWithoutAskingAModel() {
        int requests = server.requestCount();
        RagFlow flow = new RagFlow(recorder, null, RagFlow.Options.defaults());
        RagFlow.Answer a = flow.answer(RagFlow.Ask.of("zebra?", "slm").found(nothing("zebra?")), null);
        assertTrue(a.refused());
        assertEquals(RagFlow.Options.defaults().refusal(), a.text());
        assertNull(a.result());
        assertEquals(requests, server.requestCount());
    }

    @Test
    void withoutContextTheModelAnswersAloneAndIsNeverEscalated() {
        RagFlow flow = new RagFlow(
                        recorder,
                        null,
                        RagFlow.Options.defaults().withNoContext(RagFlow.NoContext.WITHOUT_CONTEXT, null))
                .escalateTo("llm", ON_REFUSAL);
        RagFlow.Answer a = flow.answer(RagFlow.Ask.of("zebra?", "slm").found(nothing("zebra?")), null);
        assertTrue(a.withoutContext());
        assertEquals("I don't know.", a.text());
        assertFalse(a.escalated(), "an answer without context has nothing to be grounded in");
        JsonNode messages = lastRequest().path("messages");
        assertEquals("zebra?", messages.get(1).path("content").asText());
        assertEquals("fallback", a.calls().getFirst().sample().group());
    }

    @Test
    void aRefusalIsEscalatedToTheLargerModelWithTheSamePrompt() {
        List<String> escalations = new ArrayList<>();
        RagFlow flow = new RagFlow(
                        recorder, null, RagFlow.Options.defaults().withNoContext(RagFlow.NoContext.ASK_ANYWAY, null))
                .escalateTo("llm", ON_REFUSAL);
        RagFlow.Answer a = flow.answer(RagFlow.Ask.of("zebra?", "slm").found(nothing("zebra?")), new RagFlow.Events() {
            @Override
            public void onEscalation(String model, String reason) {
                escalations.add(model + ": " + reason);
            }
        });
        assertEquals(List.of("llm: refusal"), escalations);
        assertTrue(a.escalated());
        assertEquals("llm", a.escalatedTo());
        assertEquals("Keys and values [1].", a.text());
        assertEquals(
                List.of("rag", "escalated"),
                a.calls().stream().map(c -> c.call().stage()).toList());
        var chats = server.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions"))
                .toList();
        assertEquals(
                chats.get(chats.size() - 2).json().path("messages"),
                chats.getLast().json().path("messages"),
                "the larger model answers the same prompt");
        assertTrue(chats.getLast()
                .json()
                .path("messages")
                .get(1)
                .path("content")
                .asText()
                .contains(ContextBuilder.NO_CONTEXT));
    }

    static SearchResult nothing(String q) {
        return new SearchResult(q, Mode.BM25, List.of(), true, 0.1);
    }
}
