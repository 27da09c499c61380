package dev.edgeai.bench;

import dev.edgeai.chat.Terminal;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A ready-made {@link Progress.Listener}: a progress bar (me.tongfei progressbar) when stderr is a terminal, else one
 * plain line per stage (each cell as it starts, and a last line when the run ends), because a bar's carriage-return
 * redraws pile up in a pipe or a log file.
 */
public final class ProgressBars implements Progress.Listener, AutoCloseable {
    private final ProgressBar bar;
    private final PrintStream lines;
    private final String task;
    private final long started = System.nanoTime();
    private String cell;
    private Progress last;

    private ProgressBars(PrintStream out, String task, boolean terminal) {
        this.task = task;
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(-1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out))
                    .build();
            lines = null;
        } else {
            bar = null;
            lines = out;
        }
    }

    /** On stderr: a bar on a terminal, lines otherwise; close it (try-with-resources) when the run ends. */
    public static ProgressBars stderr(String task) {
        return new ProgressBars(System.err, task, Terminal.stderrIsTerminal());
    }

    /** A bar drawn on {@code out}, whatever it is. */
    public static ProgressBars to(PrintStream out, String task) {
        return new ProgressBars(out, task, true);
    }

    /** One line per stage on {@code out}. */
    public static ProgressBars lines(PrintStream out, String task) {
        return new ProgressBars(out, task, false);
    }

    @Override
    public synchronized void onProgress(Progress p) {
        last = p;
        if (bar != null) {
            if (p.total() > 0 && bar.getMax() != p.total()) bar.maxHint(p.total());
            bar.stepTo(p.done());
            bar.setExtraMessage(p.cell() + (p.errors() > 0 ? " errors=" + p.errors() : ""));
        } else if (p.cell() != null && !p.cell().equals(cell)) {
            cell = p.cell();
            lines.println(task + ": " + cell + " (" + p.done() + (p.total() > 0 ? "/" + p.total() : "")
                    + " requests done" + (p.errors() > 0 ? ", " + p.errors() + " errors" : "") + ")");
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        } else if (last != null) {
            lines.println(String.format(
                    Locale.ROOT,
                    "%s: %d requests done in %.1f s%s",
                    task,
                    last.done(),
                    (System.nanoTime() - started) / 1e9,
                    last.errors() > 0 ? ", " + last.errors() + " errors" : ""));
        }
    }
}
