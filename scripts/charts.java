///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Regenerate every chart from saved results: one offline HTML report per results file, plus an index.
//JAVA 21+
//DEPS dev.edgeai:edgeai-cli:0.1.0
//RUNTIME_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED

import dev.edgeai.charts.ChartRegenerator;
import dev.edgeai.cli.Cli;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "charts", mixinStandardHelpOptions = true,
        description = "Rebuilds the HTML chart report of every results file under a folder (all scripts' results), "
                + "and PNG/SVG images of every chart when headless Chromium is installed. Corrupt or foreign files are skipped with a named error.",
        footer = {"", "Examples:", "  ./jbang scripts/charts.java", "  ./jbang scripts/charts.java data/results --out /tmp/charts --png --svg"})
public class charts implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "data/results", description = "Folder with results JSON files (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--out", description = "Write reports here instead of next to each results file.")
    Path out;

    @Option(names = "--png", description = "Also write one PNG per chart (1600x900, for slides) and a full-page screenshot "
            + "of each report, with headless Chromium (/usr/bin/chromium).")
    boolean png;

    @Option(names = "--svg", description = "Also write one SVG per chart (headless Chromium).")
    boolean svg;

    @Option(names = {"-v", "--verbose"}, description = "Full errors.")
    boolean verbose;

    public static void main(String... args) {
        System.exit(Cli.execute(new charts(), args));
    }

    @Override
    public Integer call() {
        var outcome = ChartRegenerator.regenerate(results, out, System.err, png, svg);
        outcome.written().forEach(p -> System.out.println("wrote " + p));
        outcome.png().forEach(p -> System.out.println("wrote " + p));
        outcome.svg().forEach(p -> System.out.println("wrote " + p));
        System.out.println("index: " + outcome.index());
        outcome.skipped().forEach((p, why) -> System.err.println("skipped " + p + ": " + why));
        return outcome.skipped().isEmpty() ? 0 : 1;
    }
}
