package dev.edgeai.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.IdleWatchdog;
import dev.edgeai.chat.Terminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.*;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Downloads the files of one model from a Hugging Face hub (or anything serving its API) into a local folder:
 * file list with sizes and checksums from the tree API, only the files the engine needs, resumable .part files,
 * checksum verification, and an atomic rename so a half-downloaded model never looks complete.
 */
public final class HubDownloader {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Tries per file: a connection cut mid-file resumes from the .part file with an HTTP Range request. */
    static final int ATTEMPTS = Integer.getInteger("edgeai.download.attempts", 3);

    private static final Set<String> SIDE_FILES = Set.of(
            "tokenizer.json",
            "tokenizer_config.json",
            "config.json",
            "generation_config.json",
            "special_tokens_map.json",
            "chat_template.jinja",
            "chat_template.json",
            "genai_config.json",
            "inference_model.json",
            "added_tokens.json");
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final URI endpoint;
    private final String token;
    private final boolean progress;
    private final String variant;
    /** A transfer that delivers no byte for this long is cut and resumed (HttpClient only times the headers). */
    static final Duration DEFAULT_STALL = Duration.ofSeconds(Long.getLong("edgeai.download.stallSeconds", 60));

    private final Duration stall;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /**
     * @param endpoint hub base URL (https://huggingface.co or HF_ENDPOINT)
     * @param token    bearer token for gated/private repos, or null
     * @param variant  preferred ONNX variant: "q4", "int8", "fp16"... (optimum: onnx/model_VARIANT.onnx; genai:
     *                 a subfolder whose path contains it), or "" for the built-in CPU-first order
     */
    public HubDownloader(URI endpoint, String token, boolean progress, String variant) {
        this(endpoint, token, progress, variant, DEFAULT_STALL);
    }

    public HubDownloader(URI endpoint, String token, boolean progress, String variant, Duration stall) {
        this.stall = stall;
        String e = endpoint.toString();
        this.endpoint = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
        this.token = token == null || token.isBlank() ? null : token;
        this.progress = progress;
        this.variant = variant == null ? "" : variant;
    }

    /** The hub base URL, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** Downloads {@code repo} at {@code revision} into {@code folder} unless it is already complete there. */
    public Path download(String repo, String revision, Path folder) {
        folder = folder.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(folder, k -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(folder.getParent());
            Path lockFile = folder.resolveSibling(folder.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) { // another process downloading the same repo: wait for it
                if (Files.isDirectory(folder)) return folder;
                List<HubFile> all = listFiles(repo, revision, folder);
                Selection sel = select(all, repo);
                Path staging = folder.resolveSibling(folder.getFileName() + ".incomplete");
                Files.createDirectories(staging);
                for (HubFile f : sel.files()) fetch(repo, revision, f, staging.resolve(sel.localName(f)), folder, sel);
                Provenance.of(
                                "hub",
                                repo,
                                revision,
                                endpoint + "/" + repo,
                                "each file against the size and checksum in the hub's file list",
                                sel.files().stream()
                                        .map(f -> new Provenance.FileSum(
                                                sel.localName(f), f.size(), f.sha256(), f.gitOid()))
                                        .toList())
                        .write(staging);
                Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
                return folder;
            }
        } catch (IOException e) {
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    "cannot write the model cache at " + folder + ": " + e.getMessage(),
                    e);
        } finally {
            local.unlock();
        }
    }

    /** The files to fetch and the prefix stripped from their paths (genai repos keep variants in subfolders). */
    record Selection(List<HubFile> files, String prefix) {
        String localName(HubFile f) {
            return f.path().substring(prefix.length());
        }
    }

    Selection select(List<HubFile> all, String repo) {
        List<String> genaiDirs = all.stream()
                .map(HubFile::path)
                .filter(p -> p.endsWith("genai_config.json"))
                .map(p -> p.substring(0, p.length() - "genai_config.json".length()))
                .sorted()
                .toList();
        if (!genaiDirs.isEmpty()) {
            String dir = genaiDirs.stream()
                    .filter(d -> !variant.isEmpty() && d.contains(variant))
                    .findFirst()
                    .or(() -> genaiDirs.stream()
                            .filter(d -> d.contains("cpu") && d.contains("int4"))
                            .findFirst())
                    .orElse(genaiDirs.get(0));
            // A genai variant folder is self-contained: everything in it, nothing from its subfolders.
            List<HubFile> files = all.stream()
                    .filter(f -> f.path().startsWith(dir) && f.path().indexOf('/', dir.length()) < 0)
                    .toList();
            return new Selection(files, dir);
        }
        List<String> onnx = all.stream()
                .map(HubFile::path)
                .filter(p -> p.endsWith(".onnx") && (p.startsWith("onnx/") || !p.contains("/")))
                .toList();
        String model = chooseOnnx(onnx);
        if (model == null)
            throw new ChatException(
                    ChatException.Kind.UNKNOWN_MODEL,
                    repo
                            + " has no ONNX decoder (no genai_config.json, no onnx/model*.onnx); pick an ONNX repo such as "
                            + ModelStore.DEFAULT_SLM.repo());
        List<HubFile> files = new ArrayList<>();
        for (HubFile f : all) {
            String p = f.path();
            boolean side = !p.contains("/") && SIDE_FILES.contains(p);
            boolean weights = p.equals(model)
                    || p.startsWith(model + "_data")
                    || p.startsWith(model + ".data")
                    || p.startsWith(model + "_data_");
            if (side || weights) files.add(f);
        }
        return new Selection(files, "");
    }

    private String chooseOnnx(List<String> onnx) {
        List<String> order = new ArrayList<>();
        if (!variant.isEmpty()) order.add("model_" + variant + ".onnx");
        order.addAll(List.of(
                "model_q4.onnx",
                "model_int8.onnx",
                "model_quantized.onnx",
                "model_uint8.onnx",
                "model.onnx",
                "model_q4f16.onnx",
                "model_fp16.onnx",
                "decoder_model_merged.onnx"));
        for (String name : order) for (String p : onnx) if (p.equals("onnx/" + name) || p.equals(name)) return p;
        return onnx.stream().sorted().findFirst().orElse(null);
    }

    /** Every file of the repository at that revision, walking subfolders the listing did not expand. */
    public List<HubFile> listFiles(String repo, String revision) {
        return listFiles(repo, revision, null);
    }

    private List<HubFile> listFiles(String repo, String revision, Path folder) {
        List<HubFile> out = new ArrayList<>();
        Deque<String> dirs = new ArrayDeque<>();
        dirs.add("");
        Set<String> seen = new HashSet<>();
        while (!dirs.isEmpty()) {
            String dir = dirs.poll();
            if (!seen.add(dir)) continue;
            URI uri = URI.create(endpoint + "/api/models/" + repo + "/tree/" + revision
                    + (dir.isEmpty() ? "" : "/" + dir) + "?recursive=true");
            JsonNode list;
            try {
                HttpResponse<String> r = http.send(request(uri).build(), HttpResponse.BodyHandlers.ofString());
                check(r.statusCode(), uri, repo, revision);
                list = JSON.readTree(r.body());
            } catch (IOException e) {
                throw offline(uri, repo, revision, folder, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChatException(ChatException.Kind.CANCELLED, "interrupted while listing " + uri);
            }
            for (JsonNode n : list) {
                String path = n.path("path").asText();
                if ("directory".equals(n.path("type").asText())) {
                    dirs.add(path);
                } else if ("file".equals(n.path("type").asText())) {
                    JsonNode lfs = n.path("lfs");
                    out.add(new HubFile(
                            path,
                            lfs.isObject()
                                    ? lfs.path("size").asLong()
                                    : n.path("size").asLong(),
                            lfs.isObject() ? lfs.path("oid").asText() : null,
                            lfs.isObject() ? null : n.path("oid").asText(null)));
                }
            }
        }
        // A recursive listing already holds the subfolders' files; drop duplicates from walking them again.
        Map<String, HubFile> unique = new LinkedHashMap<>();
        for (HubFile f : out) unique.putIfAbsent(f.path(), f);
        return List.copyOf(unique.values());
    }

    private void fetch(String repo, String revision, HubFile f, Path target, Path folder, Selection sel)
            throws IOException {
        if (Files.exists(target) && Files.size(target) == f.size()) return;
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        URI uri = URI.create(endpoint + "/" + repo + "/resolve/" + revision + "/" + f.path());
        IOException last = null;
        boolean bars = progress && Terminal.stderrIsTerminal();
        long t0 = System.nanoTime();
        if (progress && !bars) { // a pipe or a log file: one line when a file starts and one when it is done
            long have = Files.exists(part) ? Files.size(part) : 0;
            System.err.println("downloading " + f.path() + " (" + mib(f.size()) + ")"
                    + (have > 0 && have < f.size() ? ", resuming at " + mib(have) : "") + " from " + uri);
        }
        try (ProgressBar bar = bars ? bar(f, part) : null) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                long have = Files.exists(part) ? Files.size(part) : 0;
                if (have > f.size()) {
                    Files.delete(part);
                    have = 0;
                }
                if (have < f.size() || f.size() == 0) {
                    try {
                        transfer(uri, part, have, bar, repo, revision, folder);
                    } catch (IOException e) {
                        last = e; // cut mid-file: the bytes so far stay in .part and the next try resumes
                        continue;
                    }
                }
                verify(f, part, uri);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                if (progress && !bars)
                    System.err.printf(
                            Locale.ROOT,
                            "  done %s in %.1f s (checksum %s)%n",
                            f.path(),
                            (System.nanoTime() - t0) / 1e9,
                            f.sha256() != null ? "sha256 ok" : f.gitOid() != null ? "git sha1 ok" : "none listed");
                return;
            }
        }
        throw new ChatException(
                ChatException.Kind.UNREACHABLE,
                "download of " + uri + " failed " + ATTEMPTS + " times (" + last.getMessage()
                        + "); run again to resume from " + part + ", or " + handHint(repo, revision, folder, sel),
                last);
    }

    private void transfer(URI uri, Path part, long have, ProgressBar bar, String repo, String revision, Path folder)
            throws IOException {
        HttpRequest.Builder req = request(uri);
        if (have > 0) req.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw offline(uri, repo, revision, folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatException(ChatException.Kind.CANCELLED, "interrupted while downloading " + uri);
        }
        if (r.statusCode() / 100 != 2) {
            r.body().close();
            check(r.statusCode(), uri, repo, revision);
        }
        boolean append = r.statusCode() == 206;
        if (!append) have = 0; // no range asked, or the server ignored it: start over
        if (bar != null) bar.stepTo(have);
        OpenOption[] mode = append
                ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new OpenOption[] {
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE
                };
        try (IdleWatchdog watchdog = new IdleWatchdog(r.body(), stall);
                InputStream in = watchdog.stream();
                OutputStream out = Files.newOutputStream(part, mode)) {
            byte[] buf = new byte[1 << 16];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    if (bar != null) bar.stepBy(n);
                }
            } catch (IOException e) {
                if (watchdog.fired())
                    throw new IOException("no data for " + stall.toSeconds() + " s (stalled transfer)", e);
                throw e;
            }
            if (watchdog.fired()) throw new IOException("no data for " + stall.toSeconds() + " s (stalled transfer)");
        }
    }

    private static void verify(HubFile f, Path part, URI uri) throws IOException {
        long size = Files.size(part);
        String expected = f.sha256() != null ? f.sha256() : f.gitOid();
        String actual = null;
        if (size == f.size() && expected != null) {
            MessageDigest md = digest(f.sha256() != null ? "SHA-256" : "SHA-1");
            if (f.sha256() == null)
                md.update(("blob " + size + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try (InputStream in = Files.newInputStream(part)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
            }
            actual = HexFormat.of().formatHex(md.digest());
            if (actual.equalsIgnoreCase(expected)) return;
        } else if (size == f.size()) {
            return; // nothing to check against
        }
        Files.deleteIfExists(part);
        throw new ChatException(
                ChatException.Kind.BAD_RESPONSE,
                "downloaded " + uri + " does not match the hub's record ("
                        + (size != f.size()
                                ? size + " bytes, expected " + f.size()
                                : "checksum " + actual + ", expected " + expected)
                        + "); the partial file was deleted, run again to retry");
    }

    private static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String mib(long bytes) {
        return bytes >= 1 << 20
                ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private ProgressBar bar(HubFile f, Path part) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        return new ProgressBarBuilder()
                .setTaskName(f.path())
                .setInitialMax(f.size())
                .setUnit("MiB", 1 << 20)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .startsFrom(have, Duration.ZERO)
                .build();
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).header("User-Agent", "edgeai-workshop");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private void check(int status, URI uri, String repo, String revision) {
        if (status / 100 == 2) return;
        if (status == 401 || status == 403)
            throw new ChatException(
                    ChatException.Kind.AUTH,
                    uri + " answered " + status
                            + ": the repository is gated or private; accept its licence on the hub and set HF_TOKEN");
        if (status == 404)
            throw new ChatException(
                    ChatException.Kind.UNKNOWN_MODEL,
                    uri + " answered 404: no such repository, revision '" + revision + "' or file in " + repo);
        if (status == 502 || status == 503 || status == 504) // a proxy or captive portal that cannot reach the hub
        throw new ChatException(
                    ChatException.Kind.UNREACHABLE,
                    "cannot reach " + uri + " (HTTP " + status + " from the hub or a proxy on the way)");
        throw new ChatException(ChatException.Kind.SERVER, uri + " answered HTTP " + status);
    }

    private ChatException offline(URI uri, String repo, String revision, Path folder, Exception e) {
        return new ChatException(
                ChatException.Kind.UNREACHABLE,
                "cannot reach " + uri + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). If you are offline, "
                        + handHint(repo, revision, folder, null),
                e);
    }

    private String handHint(String repo, String revision, Path folder, Selection sel) {
        String files = sel == null
                ? "the .onnx decoder (and its .onnx_data/.onnx.data), tokenizer.json, tokenizer_config.json, "
                        + "config.json (or genai_config.json), generation_config.json"
                : String.join(", ", sel.files().stream().map(HubFile::path).toList());
        return "to install it by hand, download " + files + " from " + endpoint + "/" + repo + "/tree/" + revision
                + (folder != null ? " into " + folder : " into one folder")
                + " (keeping an onnx/ subfolder if the repo has one) and pass that folder as the model";
    }
}
