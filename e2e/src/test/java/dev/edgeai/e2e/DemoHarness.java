package dev.edgeai.e2e;

import dev.edgeai.web.DemoPage;
import dev.edgeai.web.OrtWebAssets;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The demo page mounted on a plain Javalin server, the way serve.java mounts it, with {@code /v1} passed through
 * unbuffered to an OpenAI-compatible server (e.g. the testkit's ScriptedServer), so the page talks to its own origin.
 */
final class DemoHarness implements AutoCloseable {
    final Javalin server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String upstream;

    /** @param upstream e.g. {@code http://127.0.0.1:1234/v1}; null serves no {@code /v1} at all */
    DemoHarness(OrtWebAssets ort, String upstream) {
        this.upstream = upstream;
        this.server = Javalin.create(cfg -> {
            cfg.jetty.host = "127.0.0.1";
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            DemoPage.mount(cfg, ort);
            if (upstream != null) {
                cfg.routes.get("/v1/models", this::forward);
                cfg.routes.post("/v1/chat/completions", this::forward);
            }
        }).start(0);
    }

    String url() { return "http://127.0.0.1:" + server.port() + DemoPage.PATH; }

    String origin() { return "http://127.0.0.1:" + server.port(); }

    private void forward(Context ctx) throws Exception {
        var req = HttpRequest.newBuilder(URI.create(upstream + ctx.path().substring("/v1".length())))
                .header("Content-Type", "application/json");
        if (ctx.method().name().equals("POST")) req.POST(HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
        HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        ctx.res().setStatus(r.statusCode());
        ctx.res().setContentType(r.headers().firstValue("Content-Type").orElse("application/json"));
        OutputStream out = ctx.res().getOutputStream();
        try (InputStream in = r.body()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();   // one SSE event per read: keep the stream's timing
            }
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
