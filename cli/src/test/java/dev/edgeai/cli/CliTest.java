package dev.edgeai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgeai.chat.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    @Test
    void terminalControlCharactersAreStripped() {
        assertEquals("phi-red-x", Terminal.safe("phi-\u001b[31mred\u001b[0m-x\u0007"));
        assertEquals("titlegone", Terminal.safe("title\u001b]0;pwned\u0007gone"));
        assertEquals("a\tb\nc", Terminal.safe("a\tb\nc\r\u009b"));
    }
}
