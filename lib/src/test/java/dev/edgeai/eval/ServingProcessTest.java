package dev.edgeai.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServingProcessTest {
    /** A few milliseconds of work register although the process clock ticks in 10 ms steps. */
    @Test
    void cpuTimeResolvesMillisecondsOfWork() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/task")), "Linux /proc only");
        ServingProcess me = ServingProcess.self();
        assumeTrue(me.cpuResolutionSeconds() < 0.01, "schedstat not readable here: tick resolution only");
        var before = me.cpuSnapshot();
        long t0 = System.nanoTime();
        long x = 0;
        while (System.nanoTime() - t0 < 3_000_000) x += x * 31 + 7; // ~3 ms of busy CPU on this thread
        double wallS = (System.nanoTime() - t0) / 1e9;
        double cpu = me.cpuSecondsSince(before);
        assertTrue(x != 1);
        assertTrue(cpu > 0, "busy-loop CPU " + cpu + " s for " + wallS + " s wall");
        assertTrue(
                // The process clock's user and system times each tick in 10 ms steps: two ticks of slack.
                cpu <= wallS * Runtime.getRuntime().availableProcessors() + 0.021,
                "no more than every core the whole time: " + cpu);
    }

    @Test
    void unknownProcessHasNoCpuTime() {
        ServingProcess none = ServingProcess.unknown("test");
        assertTrue(Double.isNaN(none.cpuSecondsSince(none.cpuSnapshot())));
    }
}
