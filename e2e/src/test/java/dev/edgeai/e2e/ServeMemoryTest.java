package dev.edgeai.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve.java, started as attendees start it (its JBang RUNTIME_OPTIONS: heap cap, periodic GC, native-heap trim),
 * takes a burst of a few hundred hostile requests (4 MiB bodies of 100k messages, oversized bodies, malformed JSON,
 * over-long prompts, foreign Hosts and Origins, bad paths, big headers) and its resident memory goes back near its
 * post-warm-up level once the burst is over. Prints the numbers; asserts only a generous bound, since RSS on a shared
 * machine is noisy. Without the options this burst left serve.java at ≈3.6 GB (heap committed by the garbage of
 * the burst, never returned).
 */
class ServeMemoryTest {
    static final String LLAMA = "tiny-random-LlamaForCausalLM-fp16";

    @TempDir
    Path tmp;

    @Test
    void residentMemoryReturnsAfterAHostileBurst() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")), "reads RSS from /proc (Linux)");
        try (ServeProcess p = ServeProcess.start(
                tmp,
                List.of(
                        "scripts/serve.java",
                        "--port",
                        "0",
                        "--model",
                        ScriptRunner.fixture(LLAMA).toString()))) {
            String url = p.awaitUrl();
            int port = URI.create(url).getPort();
            long pid = p.serverPid();
            String host = "Host: 127.0.0.1:" + port;
            String ok = "{\"model\":\"" + LLAMA
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":8}";
            String chat = "POST /v1/chat/completions HTTP/1.1\r\n" + host + "\r\nContent-Type: application/json";
            for (int i = 0; i < 20; i++) assertEquals(200, send(port, chat, ok.getBytes(StandardCharsets.UTF_8)));
            Thread.sleep(12_000); // the first periodic GC and native trim after start-up
            long warm = rss(pid);

            StringBuilder many = new StringBuilder("{\"model\":\"" + LLAMA + "\",\"messages\":[");
            while (many.length() < (4 << 20) - 100) many.append("{\"role\":\"user\",\"content\":\"x\"},");
            many.setLength(many.length() - 1);
            many.append("]}");
            byte[] manyMessages = many.toString().getBytes(StandardCharsets.UTF_8);
            byte[] tooLarge = new byte[5 << 20];
            Arrays.fill(tooLarge, (byte) 'a');
            byte[] unterminated = ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                            + "é".repeat(1 << 20))
                    .getBytes(StandardCharsets.UTF_8);
            byte[] longPrompt = ("{\"model\":\"" + LLAMA + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                            + "hello ".repeat(50_000) + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] small = ok.getBytes(StandardCharsets.UTF_8);
            byte[] trailing = (ok + " {\"x\":1}").getBytes(StandardCharsets.UTF_8);
            List<Callable<Integer>> shapes = List.of(
                    () -> send(port, chat, manyMessages),
                    () -> send(port, chat, tooLarge),
                    () -> send(port, chat, unterminated),
                    () -> send(port, chat, longPrompt),
                    () -> send(port, chat.replace(host, "Host: attacker.example"), small),
                    () -> send(
                            port,
                            "POST /v1/chat/completions HTTP/1.1\r\n" + host
                                    + "\r\nOrigin: http://evil.example\r\nContent-Type: text/plain",
                            small),
                    () -> send(port, "GET /v1/models/%u0041 HTTP/1.1\r\n" + host, null),
                    () -> send(port, "GET /v1/models HTTP/1.1\r\n" + host + "\r\nX-Big: " + "a".repeat(20_000), null),
                    () -> send(port, chat, trailing),
                    () -> send(port, "DELETE /v1/models HTTP/1.1\r\n" + host, null));
            int n = 300;
            Map<Integer, Integer> statuses = new TreeMap<>();
            Map<Integer, Integer> counts = new ConcurrentHashMap<>();
            long peak = warm;
            long t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<Integer>> all = new ArrayList<>();
                for (int i = 0; i < n; i++) all.add(pool.submit(shapes.get(i % shapes.size())));
                while (all.stream().anyMatch(f -> !f.isDone())) {
                    peak = Math.max(peak, rss(pid));
                    Thread.sleep(100);
                }
                for (Future<Integer> f : all) counts.merge(f.get(), 1, Integer::sum);
            }
            statuses.putAll(counts);
            double burstS = (System.nanoTime() - t0) / 1e9;
            long after = rss(pid);
            List<Long> settle = new ArrayList<>();
            for (int s = 0; s < 9 && after > warm + 64; s++) { // up to 45 s: GC and trim run every 10 s when idle
                Thread.sleep(5_000);
                after = rss(pid);
                settle.add(after);
            }
            System.out.printf(
                    "serve.java RSS: %d MB after warm-up, peak %d MB during %d hostile requests (%.0f s; statuses %s),"
                            + " %d MB once idle (samples every 5 s: %s)%n",
                    warm, peak, n, burstS, statuses, after, settle);
            assertTrue(statuses.keySet().stream().allMatch(s -> s < 500), () -> "no 5xx: " + statuses);
            assertEquals(200, send(port, chat, small), "still serving");
            assertTrue(after < warm + 250, "RSS " + after + " MB after the burst vs " + warm + " MB before");
            String err = p.err();
            assertTrue(!err.contains("\tat ") && !err.contains("Exception in"), "no stack traces:\n" + err);
        }
    }

    /** One request on its own connection; the status, or -1 when the server closed before answering. */
    static int send(int port, String head, byte[] body) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\nConnection: close" + (body == null ? "" : "\r\nContent-Length: " + body.length)
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (body != null) out.write(body);
                out.flush();
            } catch (IOException answeredEarly) {
                /* refused before the body was read: the answer may still be there */
            }
            byte[] b = s.getInputStream().readAllBytes();
            String r = new String(b, 0, Math.min(b.length, 12), StandardCharsets.ISO_8859_1);
            return r.startsWith("HTTP/1.1 ") ? Integer.parseInt(r.substring(9, 12)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    static long rss(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
        throw new IOException("no VmRSS for " + pid);
    }
}
