package dev.edgeai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.discovery.ModelChoice;
import dev.edgeai.engine.hub.ModelStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared option groups: per-script defaults shown in help, the pair's parts, one-line errors. */
class OptionGroupsTest {
    @Command(name = "demo", mixinStandardHelpOptions = true)
    static class Demo implements Callable<Integer> {
        @Mixin
        ModelPairOptions models;

        @Mixin
        GenerationOptions gen = GenerationOptions.defaults(128, 0.0, 42L);

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    void generationDefaultsAreTheScriptsAndShowInHelp() {
        Demo d = new Demo();
        CommandLine cmd = Cli.commandLine(d);
        cmd.parseArgs();
        assertEquals(128, d.gen.maxTokens());
        assertEquals(0.0, d.gen.temperature());
        assertEquals(42L, d.gen.seed());
        String help = cmd.getUsageMessage().replaceAll("\\s+", " "); // help wraps long descriptions
        assertTrue(help.contains("env EDGEAI_MAX_TOKENS; default: 128"), help);
        assertTrue(help.contains("default: 42"), help);

        Demo other = new Demo();
        other.gen = GenerationOptions.defaults(256, 0.0, null);
        CommandLine c2 = Cli.commandLine(other);
        c2.parseArgs("--max-tokens", "7", "--temperature", "0.7");
        assertEquals(7, other.gen.maxTokens());
        assertEquals(0.7, other.gen.temperature());
        assertNull(other.gen.seed(), "no default seed: none is sent");
        String help2 = c2.getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help2.contains("EDGEAI_SEED; default: none") && help2.contains("default: 256"), help2);
    }

    @Test
    void seedNoneSendsNoSeedAndABadValueIsOneLine() {
        Demo d = new Demo();
        Cli.commandLine(d).parseArgs("--seed", "none");
        assertNull(d.gen.seed());
        StringWriter err = new StringWriter();
        CommandLine cmd = Cli.commandLine(new Demo());
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute("--seed", "x1"));
        assertTrue(
                err.toString().contains("'x1' is not a seed")
                        && err.toString().strip().lines().count() == 1,
                err::toString);
        Demo zero = new Demo();
        Cli.commandLine(zero).parseArgs("--max-tokens", "0");
        var e = assertThrows(IllegalArgumentException.class, zero.gen::maxTokens);
        assertTrue(e.getMessage().contains("--max-tokens must be at least 1"));
    }

    @Test
    void thePairNamesItsPartsDefaultsAndFallbacks() {
        Demo d = new Demo();
        Cli.commandLine(d).parseArgs("--llm", "qwen2.5:7b");
        var wants = d.models.wants();
        assertEquals(2, wants.size());
        ModelChoice.Want slm = wants.get(0);
        ModelChoice.Want llm = wants.get(1);
        assertEquals(ModelChoice.Size.SMALL, slm.size());
        assertEquals(ModelChoice.DEFAULT_SLM, slm.requested());
        assertEquals(ModelStore.DEFAULT_SLM_REPO, slm.fallback());
        assertEquals("--model-slm", slm.inProcessOption());
        assertNull(slm.inProcess());
        assertTrue(llm.named() && llm.name().equals("qwen2.5:7b"));
        assertEquals("qwen2.5:7b", d.models.llmName());

        Demo embedded = new Demo();
        Cli.commandLine(embedded).parseArgs("--model-llm", "/models/x");
        assertEquals("/models/x", embedded.models.wants().get(1).inProcess());
        assertNull(embedded.models.wants().get(0).inProcess(), "the other part loads its fallback");
        assertEquals(
                ModelStore.DEFAULT_SLM_REPO, embedded.models.wants(true).get(0).inProcess());
    }

    @Command(name = "server", mixinStandardHelpOptions = true)
    static class Server implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    void serverOptionsSplitListsAndSayWhereTheServerIsReachable() {
        Server d = new Server();
        CommandLine cmd = Cli.commandLine(d);
        cmd.parseArgs();
        assertEquals("127.0.0.1", d.server.host);
        assertTrue(d.server.loopbackOnly());
        assertNull(d.server.exposureWarning("your models"));
        if (System.getenv("EDGEAI_ALLOWED_HOSTS") == null) assertEquals(java.util.List.of(), d.server.allowedHosts);
        if (System.getenv("EDGEAI_CORS") == null) assertEquals(java.util.List.of(), d.server.cors);
        String help = cmd.getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("env EDGEAI_ALLOWED_HOSTS") && help.contains("DNS rebinding"), help);
        assertTrue(help.contains("env EDGEAI_CORS"), help);

        Server s = new Server();
        Cli.commandLine(s)
                .parseArgs(
                        "--host",
                        "0.0.0.0",
                        "--allowed-hosts",
                        "host.docker.internal,my-laptop.local",
                        "--allowed-hosts",
                        ".example.com",
                        "--cors",
                        "http://localhost:3000");
        assertEquals(
                java.util.List.of("host.docker.internal", "my-laptop.local", ".example.com"), s.server.allowedHosts);
        assertEquals(java.util.List.of("http://localhost:3000"), s.server.cors);
        assertTrue(s.server.exposureWarning("your models").contains("0.0.0.0"));
    }
}
