package dev.edgeai.e2e;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.serve.OpenAiServer;
import dev.edgeai.web.DemoPage;
import dev.edgeai.web.OrtWebAssets;
import dev.edgeai.web.PageModels;
import io.javalin.Javalin;

/**
 * The demo page mounted the way serve.java mounts it: as an extension of serve's OpenAI-compatible server (so the
 * page's {@code /v1} is the real server code), or on a bare Javalin server with no {@code /v1} at all.
 */
final class DemoHarness implements AutoCloseable {
    private final OpenAiServer serve;
    private final Javalin bare;
    private final int port;

    private DemoHarness(OpenAiServer serve, Javalin bare) {
        this.serve = serve;
        this.bare = bare;
        this.port = serve != null ? serve.port() : bare.port();
    }

    /**
     * serve's server over {@code backend} (e.g. an OpenAiClient to the testkit's ScriptedServer, or the embedded
     * engine, whose model folders the page may then run itself) with the demo.
     */
    static DemoHarness serving(ChatBackend backend, OrtWebAssets ort) {
        return serving(backend, ort, PageModels.of(backend));
    }

    /** The same with other model folders offered to the page than the backend's own. */
    static DemoHarness serving(ChatBackend backend, OrtWebAssets ort, PageModels pageModels) {
        return new DemoHarness(
                OpenAiServer.builder()
                        .port(0)
                        .extension(cfg -> DemoPage.mount(cfg, ort, pageModels))
                        .start(backend),
                null);
    }

    /** The page alone: its {@code /v1} answers 404, like a server without a model endpoint. */
    static DemoHarness pageOnly(OrtWebAssets ort) {
        return new DemoHarness(
                null,
                Javalin.create(cfg -> {
                            cfg.jetty.host = "127.0.0.1";
                            cfg.startup.showJavalinBanner = false;
                            DemoPage.mount(cfg, ort);
                        })
                        .start(0));
    }

    String url() {
        return origin() + DemoPage.PATH;
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (serve != null) serve.close();
        if (bare != null) bare.stop();
    }
}
