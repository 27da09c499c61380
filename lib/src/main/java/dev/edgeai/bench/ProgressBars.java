package dev.edgeai.bench;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A ready-made {@link Progress.Listener} drawing a progress bar (me.tongfei progressbar) on stderr. */
public final class ProgressBars implements Progress.Listener, AutoCloseable {
    private final ProgressBar bar;

    private ProgressBars(PrintStream out, String task) {
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build();
    }

    /** A bar on stderr; close it (try-with-resources) when the run ends. */
    public static ProgressBars stderr(String task) {
        return new ProgressBars(System.err, task);
    }

    public static ProgressBars to(PrintStream out, String task) {
        return new ProgressBars(out, task);
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (p.total() > 0 && bar.getMax() != p.total()) bar.maxHint(p.total());
        bar.stepTo(p.done());
        bar.setExtraMessage(p.cell() + (p.errors() > 0 ? " errors=" + p.errors() : ""));
    }

    @Override
    public void close() {
        bar.close();
    }
}
