package dev.edgeai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.chat.ChatRequest;
import dev.edgeai.engine.EmbeddedBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a request that leaves knobs out gets: the model folder's generation_config.json (the Qwen fixture has one),
 * else the engine's defaults (greedy); max_tokens left out runs to the end of the text or the context, under the
 * server's cap when it has one. Shown in /v1/models and in the request log.
 */
class OpenAiServerDefaultsTest {
    static final String QWEN = "tiny-random-qwen2.5-instruct-q4";
    static final String LLAMA = OpenAiServerTest.LLAMA;
    static final String GQA = OpenAiServerTest.GQA;

    static EmbeddedBackend backend;
    static OpenAiServer capped, uncapped;
    static final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        backend = EmbeddedBackend.load(
                OpenAiServerTest.MODELS.resolve(QWEN),
                OpenAiServerTest.MODELS.resolve(LLAMA),
                OpenAiServerTest.MODELS.resolve(GQA));
        capped = OpenAiServer.builder()
                .port(0)
                .maxTokensCap(6)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8))
                .start(backend);
        uncapped = OpenAiServer.builder().port(0).start(backend);
    }

    @AfterAll
    static void stop() {
        capped.close();
        uncapped.close();
        backend.close();
    }

    static String ask(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, my name is\"}]"
                + extra + "}";
    }

    @Test
    void omittedKnobsAreTheModelsGenerationConfigAndTheLogSaysSo() throws Exception {
        var r = OpenAiServerTest.post(capped, ask(QWEN, ""));
        assertEquals(200, r.status(), r.body());
        var rec = capped.recent().getLast();
        ChatRequest used = rec.generated();
        assertEquals(0.7, used.temperature());
        assertEquals(0.8, used.topP());
        assertEquals(20, used.topK());
        assertEquals(1.1, used.repetitionPenalty());
        assertEquals(6, used.maxTokens(), "the cap stands in for the missing max_tokens");
        String line = log.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith(rec.id()))
                .findFirst()
                .orElseThrow();
        assertTrue(line.endsWith("temperature 0.7 top_p 0.8 top_k 20 repetition_penalty 1.1 max_tokens 6"), line);

        // what the request gives wins; a model without the file is greedy (the engine's default)
        OpenAiServerTest.post(capped, ask(QWEN, ",\"temperature\":0,\"top_k\":-1,\"max_tokens\":3"));
        used = capped.recent().getLast().generated();
        assertEquals(0.0, used.temperature());
        assertEquals(20, used.topK(), "top_k -1 means off, as not given: the model's default");
        assertEquals(3, used.maxTokens());
        OpenAiServerTest.post(capped, ask(LLAMA, ",\"max_tokens\":50"));
        used = capped.recent().getLast().generated();
        assertNull(used.temperature());
        assertEquals(6, used.maxTokens(), "no answer is longer than the cap");
        assertEquals(6, capped.recent().getLast().completionTokens());
    }

    @Test
    void modelsListTheDefaultsInForce() throws Exception {
        JsonNode data = OpenAiServerTest.get(capped, "/v1/models").json().path("data");
        JsonNode qwen = data.get(0).path("generation_defaults");
        assertEquals(QWEN, data.get(0).path("id").asText());
        assertEquals(0.7, qwen.path("temperature").asDouble());
        assertEquals(20, qwen.path("top_k").asInt());
        assertEquals("generation_config.json", qwen.path("source").asText());
        assertEquals(6, qwen.path("max_tokens").asInt());
        JsonNode llama =
                OpenAiServerTest.get(uncapped, "/v1/models/" + LLAMA).json().path("generation_defaults");
        assertTrue(llama.path("temperature").isMissingNode(), llama.toString());
        assertEquals("engine defaults (greedy)", llama.path("source").asText());
        assertEquals("until end of text or context", llama.path("max_tokens").asText());
    }

    /** The GQA fixture's KV buffer starts small (share-buffer) and grows: it runs until its context is full. */
    @Test
    void withoutMaxTokensAnAnswerRunsToTheEndOfTheContext() throws Exception {
        var r = OpenAiServerTest.post(uncapped, ask(GQA, ""));
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        JsonNode usage = body.path("usage");
        String finish = body.path("choices").get(0).path("finish_reason").asText();
        int total = usage.path("prompt_tokens").asInt()
                + usage.path("completion_tokens").asInt();
        if (finish.equals("length"))
            assertEquals(backend.model(GQA).descriptor().contextLength(), total, usage.toString());
        else assertEquals("stop", finish, usage.toString());
        assertTrue(usage.path("completion_tokens").asInt() > 512, "past the old 512-token default: " + usage);
    }

    @Test
    void logitBiasIdsAreCheckedAgainstTheVocabularyAndHonoured() throws Exception {
        int vocab = backend.model(LLAMA).descriptor().vocabSize();
        var bad = OpenAiServerTest.post(capped, ask(LLAMA, ",\"max_tokens\":4,\"logit_bias\":{\"" + vocab + "\":5}"));
        assertEquals(400, bad.status(), bad.body());
        assertEquals("logit_bias", bad.json().path("error").path("param").asText());
        assertTrue(bad.json().path("error").path("message").asText().contains("ids 0 to " + (vocab - 1)), bad.body());

        var forced = OpenAiServerTest.post(
                capped, ask(LLAMA, ",\"max_tokens\":4,\"temperature\":0,\"logit_bias\":{\"1000\":100}"));
        assertEquals(200, forced.status(), forced.body());
        String expected = backend.model(LLAMA).tokenizer().decode(new int[] {1000, 1000, 1000, 1000});
        assertEquals(
                expected,
                forced.json()
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText());
    }

    @Test
    void unimplementedParametersAreRefusedByName() throws Exception {
        var r = OpenAiServerTest.post(capped, ask(LLAMA, ",\"top_logprobs\":2"));
        assertEquals(400, r.status(), r.body());
        assertEquals("top_logprobs", r.json().path("error").path("param").asText());
        var neutral = OpenAiServerTest.post(
                capped,
                ask(
                        LLAMA,
                        ",\"max_tokens\":2,\"top_logprobs\":0,\"logit_bias\":{},\"frequency_penalty\":0,"
                                + "\"presence_penalty\":0,\"top_k\":0,\"min_p\":0"));
        assertEquals(200, neutral.status(), neutral.body());
    }
}
