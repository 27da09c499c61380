package dev.edgeai.eval;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The process that serves the model, for memory and CPU figures: this JVM for the embedded engine, or a local
 * server found by the port it listens on (Linux /proc: the listening socket's inode, then the process holding it).
 * What cannot be read is reported as unavailable with the reason, never as zero.
 */
public final class ServingProcess {
    /** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
    private static final double CLOCK_TICKS_PER_S = 100;

    private final long pid;
    private final boolean self;
    private final String description;
    private final String unavailable;

    private ServingProcess(long pid, boolean self, String description, String unavailable) {
        this.pid = pid;
        this.self = self;
        this.description = description;
        this.unavailable = unavailable;
    }

    /** This JVM (embedded engine): RSS from /proc/self/status, CPU from the JVM, heap from the runtime. */
    public static ServingProcess self() {
        return new ServingProcess(
                ProcessHandle.current().pid(),
                true,
                "this JVM (embedded engine), pid " + ProcessHandle.current().pid(),
                null);
    }

    public static ServingProcess unknown(String why) {
        return new ServingProcess(-1, false, "unknown", why);
    }

    /** The local process listening on the URL's port, or an unknown one saying why it could not be found. */
    public static ServingProcess forUrl(String baseUrl) {
        URI u;
        try {
            u = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            return unknown("not a URL: " + baseUrl);
        }
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"))) {
            return unknown("the server runs on another host (" + host + ")");
        }
        int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
        return forPort(port);
    }

    public static ServingProcess forPort(int port) {
        if (!Files.isReadable(Path.of("/proc/net/tcp")))
            return unknown("no /proc on this OS: process memory is not readable here");
        String inode = listeningInode(port);
        if (inode == null) return unknown("no listening socket for port " + port + " in /proc/net/tcp{,6}");
        String link = "socket:[" + inode + "]";
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (Files.readSymbolicLink(fd).toString().equals(link)) {
                                long pid = Long.parseLong(proc.getFileName().toString());
                                boolean me = pid == ProcessHandle.current().pid();
                                return new ServingProcess(
                                        pid,
                                        me,
                                        "pid " + pid + " (listening on port " + port + ")" + (me ? ", this JVM" : ""),
                                        null);
                            }
                        } catch (IOException ignored) {
                            // fd closed meanwhile
                        }
                    }
                } catch (IOException | SecurityException notOurs) {
                    // another user's process: its fds are not readable
                }
            }
        } catch (IOException e) {
            return unknown("cannot list /proc: " + e.getMessage());
        }
        return unknown("the process on port " + port
                + " belongs to another user or container (its /proc entries are not readable)");
    }

    private static String listeningInode(int port) {
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ... inode is field 9; 0A = LISTEN
                    if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) return f[9];
                }
            } catch (IOException ignored) {
                // tcp6 may be absent
            }
        }
        return null;
    }

    public boolean known() {
        return unavailable == null;
    }

    public long pid() {
        return pid;
    }

    public boolean isSelf() {
        return self;
    }

    public String description() {
        return known() ? description : "n/a: " + unavailable;
    }

    /** Why figures are missing, or null when the process is known. */
    public String unavailable() {
        return unavailable;
    }

    /** Resident set size in bytes, or -1 (see {@link #rssUnavailable()}). */
    public long rssBytes() {
        if (!known()) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + (self ? "self" : pid) + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Why {@link #rssBytes()} is -1, or null. */
    public String rssUnavailable() {
        if (!known()) return unavailable;
        return rssBytes() < 0
                ? "/proc/" + pid + "/status is not readable (not Linux, or another user's process)"
                : null;
    }

    /** Heap in use (this JVM only), or -1. */
    public long heapBytes() {
        if (!self) return -1;
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * A CPU-time reading to take a difference from ({@link #cpuSecondsSince}). Why two clocks: the process total
     * ({@link #cpuSeconds()}) ticks in 10 ms steps, too coarse for a tiny model's few milliseconds of work, while each
     * thread's {@code /proc/<pid>/task/<tid>/schedstat} counts nanoseconds but forgets threads that ended.
     *
     * @param processS the process total in seconds (tick resolution), NaN when not readable
     * @param threadNs nanoseconds on the CPU per thread id; empty when schedstat is not readable
     */
    public record CpuSnapshot(double processS, java.util.Map<Long, Long> threadNs) {}

    /** The resolution of {@link #cpuSecondsSince}: nanoseconds when per-thread counters are readable, else the tick. */
    public double cpuResolutionSeconds() {
        return threadCpuNs().isEmpty() ? 1 / CLOCK_TICKS_PER_S : 1e-9;
    }

    public CpuSnapshot cpuSnapshot() {
        return new CpuSnapshot(cpuSeconds(), threadCpuNs());
    }

    /**
     * CPU seconds used since {@code before}: the larger of the process-total difference (counts threads that ended,
     * tick resolution) and the sum over threads alive at both readings (nanosecond resolution, misses ended threads).
     * NaN when neither clock is readable.
     */
    public double cpuSecondsSince(CpuSnapshot before) {
        CpuSnapshot now = cpuSnapshot();
        double process = now.processS() - before.processS();
        double threads = Double.NaN;
        if (!now.threadNs().isEmpty() && !before.threadNs().isEmpty()) {
            long sum = 0;
            for (var e : now.threadNs().entrySet()) {
                Long was = before.threadNs().get(e.getKey());
                if (was != null && e.getValue() > was) sum += e.getValue() - was;
            }
            threads = sum / 1e9;
        }
        if (Double.isNaN(process)) return threads;
        if (Double.isNaN(threads)) return process;
        return Math.max(process, threads);
    }

    private java.util.Map<Long, Long> threadCpuNs() {
        if (!known()) return java.util.Map.of();
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        Path tasks = Path.of("/proc/" + (self ? "self" : pid) + "/task");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path t : ds) {
                try {
                    String line = Files.readString(t.resolve("schedstat")).trim();
                    out.put(
                            Long.parseLong(t.getFileName().toString()),
                            Long.parseLong(line.substring(0, line.indexOf(' '))));
                } catch (IOException | RuntimeException ended) {
                    // the thread ended between listing and reading, or schedstat is absent
                }
            }
        } catch (IOException | SecurityException e) {
            return java.util.Map.of();
        }
        return out;
    }

    /** CPU time (user + system) the process used so far, in seconds (10 ms ticks on Linux); NaN when not readable. */
    public double cpuSeconds() {
        if (!known()) return Double.NaN;
        if (self
                && ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            if (ns >= 0) return ns / 1e9;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based) → indexes 11 and 12 here
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_S;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
