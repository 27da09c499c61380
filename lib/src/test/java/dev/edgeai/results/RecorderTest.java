package dev.edgeai.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call through the recorder becomes one results sample, seen by listeners before and after, over real HTTP. */
class RecorderTest {
    static ScriptedServer server;
    static OpenAiClient client;

    @BeforeAll
    static void start() {
        server = ScriptedServer.builder()
                .model(
                        "slm-fake",
                        Script.builder()
                                .ttftMs(40)
                                .itlMs(5)
                                .tokens("Keys", " and", " values.")
                                .build())
                .model(
                        "broken",
                        Script.builder()
                                .failFirst(500, 500, 500, 500, 500, 500)
                                .failMessage("CUDA out of memory")
                                .build())
                .start();
        client = OpenAiClient.builder()
                .baseUrl(server.baseUrl())
                .maxRetries(0)
                .backoffBase(Duration.ofMillis(1))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCallBecomesASampleOfItsStageWithTheListenersAttributes() {
        List<String> seen = new ArrayList<>();
        Recorder rec = new Recorder(client).listen(new Recorder.Listener() {
            @Override
            public void onRequest(Recorder.Context c) {
                seen.add("request " + c.call().stage());
                c.attributes().put("t0", System.nanoTime());
            }

            @Override
            public void onResponse(Recorder.Context c) {
                seen.add("response " + c.sample().group() + " " + c.attributes().get("note"));
                assertTrue(c.attributes().containsKey("t0"), "attributes live from request to response");
            }
        });
        ChatRequest req = ChatRequest.builder("slm-fake")
                .system("Be brief.")
                .user("What does the KV cache store?")
                .maxTokens(16)
                .build();
        Recorder.Context c = rec.record(
                Recorder.Call.of("draft").round(2).warmup(true).attribute("note", "n1"), req, StreamListener.NONE);
        assertTrue(c.ok());
        assertEquals(List.of("request draft", "response draft n1"), seen);
        Sample s = c.sample();
        assertEquals("slm-fake", s.model());
        assertEquals("draft", s.group());
        assertEquals(2, s.round());
        assertTrue(s.warmup());
        assertEquals("What does the KV cache store?", s.prompt(), "the last user message when no prompt is named");
        assertEquals("Keys and values.", s.text());
        assertEquals(3, s.completionTokens());
        assertTrue(s.ttftMs() >= 40, () -> "TTFT includes the scripted delay: " + s);
        assertTrue(c.wallMs() >= s.e2eMs(), "the wall clock sees at least what the backend's clock sees");
    }

    @Test
    void aFailedCallIsRecordedWithItsKindThenThrown() {
        List<Sample> failed = new ArrayList<>();
        Recorder rec = new Recorder(client).listen(new Recorder.Listener() {
            @Override
            public void onError(Recorder.Context c) {
                failed.add(c.sample());
            }
        });
        ChatRequest req = ChatRequest.of("broken", "hi");
        var e = assertThrows(
                ChatException.class, () -> rec.stream(Recorder.Call.of("answer").prompt("q7"), req, null));
        assertEquals(1, failed.size());
        Sample s = failed.getFirst();
        assertFalse(s.ok());
        assertEquals("broken", s.model(), "the model that was asked");
        assertEquals("q7", s.prompt());
        assertTrue(s.error().startsWith(e.kind() + ": ") && s.error().contains("CUDA out of memory"), s.error());
        assertEquals(e.getMessage().lines().findFirst().orElseThrow(), Recorder.message(s));

        Recorder.Context c = rec.record(Recorder.Call.of("answer"), req, null);
        assertFalse(c.ok(), "record() hands the failure back instead of throwing");
        assertNull(c.result());
        assertSame(c.error(), assertThrows(RuntimeException.class, c::text));
    }

    @Test
    void asAPlainBackendItRecordsUnderTheStageChat() {
        List<Sample> all = new ArrayList<>();
        Recorder rec = new Recorder(client).listen(new Recorder.Listener() {
            @Override
            public void onResponse(Recorder.Context c) {
                all.add(c.sample());
            }
        });
        assertEquals(
                "Keys and values.", rec.chat(ChatRequest.of("slm-fake", "hi")).text());
        assertEquals(List.of("chat"), all.stream().map(Sample::group).toList());
        assertEquals(client.info(), rec.info());
    }
}
