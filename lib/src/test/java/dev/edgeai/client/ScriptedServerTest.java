package dev.edgeai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.ChatRequest;
import dev.edgeai.chat.StreamListener;
import dev.edgeai.testkit.Script;
import dev.edgeai.testkit.ScriptedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ScriptedServerTest {

    @Test
    void unknown_model_gets_an_openai_style_404() throws Exception {
        try (ScriptedServer server =
                        ScriptedServer.builder().model("m", Script.defaults()).start();
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode());
            assertEquals(
                    "{\"error\":{\"message\":\"model 'x' not found\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}",
                    r.body());
        }
    }

    @Test
    void streams_openai_chunks_ending_with_done() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                        .model("m", Script.builder().tokens("Hi", "!").build())
                        .start();
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(
                    "text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
            String body = r.body();
            assertTrue(body.contains("\"object\":\"chat.completion.chunk\""), body);
            assertTrue(body.contains("\"delta\":{\"content\":\"Hi\"}"), body);
            assertTrue(body.contains("\"finish_reason\":\"stop\""), body);
            assertTrue(body.contains("\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2"), body);
            assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        }
    }

    @Test
    void counts_concurrent_chat_requests() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                        .model("m", Script.builder().ttftMs(300).tokenCount(2).build())
                        .start();
                OpenAiClient client = OpenAiClient.of(server.baseUrl());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++)
                all.add(pool.submit(() -> client.stream(ChatRequest.of("m", "hi"), StreamListener.NONE)));
            for (Future<?> f : all) f.get();
            assertEquals(4, server.maxInFlight());
            assertEquals(0, server.inFlight());
            assertEquals(4, server.requestCount());
        }
    }

    @Test
    void command_line_options_shape_the_server() throws IOException {
        try (ScriptedServer server = ScriptedServer.fromArgs(
                        "--models", "slm,llm", "--tokens", "7", "--ttft-ms", "0", "--itl-ms", "0");
                OpenAiClient client = OpenAiClient.of(server.baseUrl())) {
            assertTrue(server.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+/v1"), server.baseUrl());
            assertEquals(
                    List.of("llm", "slm"),
                    client.models().stream().map(m -> m.id()).toList());
            assertEquals(
                    7,
                    client.stream(ChatRequest.of("slm", "hi"), StreamListener.NONE)
                            .usage()
                            .completionTokens());
        }
    }

    @Test
    void failures_are_used_up_in_order_then_the_script_runs() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                        .model(
                                "m",
                                Script.builder()
                                        .failFirst(503, 429)
                                        .retryAfter("2")
                                        .build())
                        .start();
                HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();
            assertEquals(
                    503, http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> second = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(429, second.statusCode());
            assertEquals("2", second.headers().firstValue("Retry-After").orElse(""));
            HttpResponse<String> third = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, third.statusCode());
            assertTrue(third.body().contains("\"object\":\"chat.completion\""), third.body());
        }
    }

    @Test
    void a_client_that_hangs_up_ends_its_stream() throws Exception {
        try (ScriptedServer server = ScriptedServer.builder()
                .model("m", Script.builder().itlMs(100).tokenCount(100).build())
                .start()) {
            String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", server.port())) {
                sock.getOutputStream()
                        .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
                                        + "\r\n\r\n" + body)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                var in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(sock.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.contains("\"delta\":{\"content\"")) {
                    // headers and the role chunk
                }
                assertTrue(line != null, "a first token");
            } // hang up: the other 99 tokens would take 10 s
            for (int i = 0; i < 300 && server.inFlight() > 0; i++) Thread.sleep(10);
            assertEquals(0, server.inFlight(), "the stream ended when its client went away");
        }
    }
}
