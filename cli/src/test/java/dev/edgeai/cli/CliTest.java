package dev.edgeai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
    enum Mode {
        BM25,
        HYBRID
    }

    @Command(name = "demo", mixinStandardHelpOptions = true)
    static class Demo implements Callable<Integer> {
        @Option(names = "--stream", arity = "1", defaultValue = "true", description = "x")
        boolean stream;

        @Option(names = "--fallback")
        boolean fallback;

        @Option(names = "--mode", defaultValue = "hybrid")
        Mode mode;

        @Option(names = "--rounds", defaultValue = "3")
        int rounds;

        @Override
        public Integer call() {
            return stream ? 10 : 20;
        }
    }

    @ParameterizedTest
    @CsvSource({"1,true", "0,false", "TRUE,true", "false,false", "Yes,true", "no,false", "on,true", "OFF,false"})
    void everyBooleanSpellingIsAccepted(String value, boolean expected) {
        Demo d = new Demo();
        Cli.commandLine(d).parseArgs("--stream", value);
        assertEquals(expected, d.stream);
    }

    @Test
    void flagsWithoutValueStillWork() {
        Demo d = new Demo();
        Cli.commandLine(d).parseArgs("--fallback", "--mode", "BM25");
        assertTrue(d.fallback);
        assertEquals(Mode.BM25, d.mode);
    }

    @Test
    void aBadValueIsOneLineNamingOptionValueAndAcceptedValues() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Cli.commandLine(new Demo());
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("--stream", "maybe");
        assertEquals(2, code);
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(
                text.contains("--stream")
                        && text.contains("'maybe'")
                        && text.contains(Flags.ACCEPTED)
                        && text.endsWith("see --help"),
                text);
        assertFalse(text.contains("Usage"), text);
    }

    @Test
    void aBadEnumOrNumberListsWhatIsValid() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Cli.commandLine(new Demo());
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute("--mode", "foo"));
        assertTrue(err.toString().contains("BM25, HYBRID"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void goodRunsReturnTheCommandsCode() {
        assertEquals(20, Cli.commandLine(new Demo()).execute("--stream", "0"));
    }

    @Test
    void envFlagsUseTheSameReading() {
        assertTrue(Flags.parse(" Yes "));
        assertThrows(IllegalArgumentException.class, () -> Flags.parse("2"));
    }

    static final String LONG_EXAMPLE = "  ./jbang scripts/benchmark.java --embedded --models "
            + "~/models/Qwen2.5-0.5B-Instruct,onnx-community/Qwen2.5-1.5B-Instruct --concurrency 1,2,4";

    @Command(
            name = "wide",
            mixinStandardHelpOptions = true,
            description = "A command whose example is longer than any terminal is wide.",
            footer = {"", "Examples:", LONG_EXAMPLE, "  100%% offline"})
    static class Wide implements Callable<Integer> {
        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    void helpExamplesAreNeverWrapped() {
        StringWriter out = new StringWriter();
        CommandLine cmd = Cli.commandLine(new Wide());
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--help"));
        assertTrue(out.toString().lines().anyMatch(LONG_EXAMPLE::equals), out.toString());
        assertTrue(out.toString().lines().anyMatch("  100% offline"::equals), out.toString());
    }

    @Test
    void versionNamesTheKitOnnxRuntimeAndJava() {
        StringWriter out = new StringWriter();
        CommandLine cmd = Cli.commandLine(new Wide());
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--version"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        assertTrue(lines.get(0).startsWith("wide: edgeai workshop kit "), lines.get(0));
        assertTrue(lines.get(1).matches("ONNX Runtime 1\\.\\d+\\.\\d+ \\(Java, CPU\\)"), lines.get(1));
        assertTrue(lines.get(2).startsWith("Java " + Runtime.version()), lines.get(2));
    }

    @Command(name = "offline")
    static class Offline implements Callable<Integer> {
        @Option(names = "--endpoint")
        String endpoint;

        @Override
        public Integer call() {
            throw new dev.edgeai.engine.hub.ModelStore(
                            java.nio.file.Path.of("target/no-cache"),
                            null,
                            new dev.edgeai.engine.hub.HubDownloader(
                                    java.net.URI.create("https://huggingface.co"), null, false, ""))
                    .unavailable(
                            List.of(dev.edgeai.engine.hub.ModelStore.DEFAULT_SLM_REPO),
                            List.of("--model"),
                            new dev.edgeai.chat.ChatException(
                                    dev.edgeai.chat.ChatException.Kind.UNREACHABLE, "cannot reach the hub"));
        }
    }

    @Test
    void missingModelsOfflineAreOneErrorLineThenTheNextSteps() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Cli.commandLine(new Offline());
        cmd.setErr(new PrintWriter(err));
        assertEquals(1, cmd.execute());
        List<String> lines = err.toString().lines().toList();
        assertTrue(
                lines.get(0).startsWith("error: the model onnx-community/Qwen2.5-0.5B-Instruct is not in"),
                lines.get(0));
        assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("  ")), err.toString());
        assertTrue(
                lines.contains("    ./jbang scripts/offline.java --endpoint http://127.0.0.1:8099/v1"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void terminalControlCharactersAreStripped() {
        assertEquals("phi-red-x", Terminal.safe("phi-\u001b[31mred\u001b[0m-x\u0007"));
        assertEquals("titlegone", Terminal.safe("title\u001b]0;pwned\u0007gone"));
        assertEquals("a\tb\nc", Terminal.safe("a\tb\nc\r\u009b"));
    }
}
