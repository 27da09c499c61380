package dev.edgeai.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.edgeai.client.OpenAiClient;
import dev.edgeai.metrics.Stats;
import dev.edgeai.results.RunResult;
import dev.edgeai.results.Sample;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Benchmarks the benchmark harness itself (not a test: prints figures). The scripted server runs in a child JVM so
 * the CPU time measured here is the harness's own (client + runner + stats).
 * <ol>
 *   <li>TTFT error: reported TTFT minus the server's injected TTFT, at concurrency 1 and 32;</li>
 *   <li>throughput ceiling: requests/s the harness drives against an instant server, and harness CPU per request.</li>
 * </ol>
 * Run: {@code java -cp <lib classpath> dev.edgeai.bench.HarnessBench [requests]}.
 */
public final class HarnessBench {
    private HarnessBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 320;
        System.out.println(
                "| scenario | concurrency | requests | TTFT error median ms | p95 ms | max ms | req/s | harness CPU ms/request |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        try (Server s = Server.start("--ttft-ms", "50", "--itl-ms", "1", "--tokens", "4")) {
            for (int c : List.of(1, 32)) row("TTFT 50 ms injected", s, c, c == 1 ? Math.min(n, 100) : n, 50);
        }
        try (Server s = Server.start("--ttft-ms", "0", "--itl-ms", "0", "--tokens", "1")) {
            row("instant server", s, 1, Math.min(n, 300), 0);
            row("instant server", s, 32, n * 4, 0);
        }
    }

    private static void row(String name, Server s, int concurrency, int requests, double injectedTtft) {
        try (OpenAiClient client = OpenAiClient.builder().baseUrl(s.url).build()) {
            BenchConfig warm = BenchConfig.builder(PromptSet.single("p", "hello", 8), "phi-4-mini")
                    .warmup(0)
                    .requests(Math.min(50, requests))
                    .rounds(null)
                    .concurrency(concurrency)
                    .build();
            new BenchmarkRunner(client).run(warm); // JIT warmup of client and runner
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            BenchConfig cfg = BenchConfig.builder(PromptSet.single("p", "hello", 8), "phi-4-mini")
                    .warmup(0)
                    .requests(requests)
                    .rounds(null)
                    .concurrency(concurrency)
                    .build();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            RunResult r = new BenchmarkRunner(client).run(cfg);
            double wallS = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
            List<Double> err = new ArrayList<>();
            for (Sample x : r.samples()) if (x.ok() && !x.warmup()) err.add(x.ttftMs() - injectedTtft);
            Stats st = Stats.of(err);
            long ok = r.samples().stream().filter(Sample::ok).count();
            System.out.printf(
                    "| %s | %d | %d | %.2f | %.2f | %.2f | %.0f | %.2f |%n",
                    name, concurrency, ok, st.p50(), st.p95(), st.max(), ok / wallS, cpuMs / Math.max(1, ok));
        }
    }

    /** The scripted server in its own JVM, so its CPU does not count as the harness's. */
    private record Server(Process process, String url) implements AutoCloseable {
        static Server start(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.edgeai.testkit.ScriptedServer"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String url =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return new Server(p, Objects.requireNonNull(url, "scripted server did not start"));
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
