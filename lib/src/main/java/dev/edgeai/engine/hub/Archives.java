package dev.edgeai.engine.hub;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks the archives a model arrives in on a USB stick: .zip (the JDK's own reader, zip64 included) and .tar,
 * .tar.gz, .tgz (ustar with GNU long names and pax paths: enough for what tar and Python's tarfile write). Entries
 * that would land outside the target folder are refused; links are kept only when they point inside it (a Hugging
 * Face cache keeps its files as links into blobs/).
 */
final class Archives {
    private Archives() {}

    static boolean isArchive(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".zip") || n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
    }

    /** The archive's name without its extension: the model's name when the archive has no top folder. */
    static String baseName(Path p) {
        return p.getFileName().toString().replaceFirst("(?i)(\\.tar\\.gz|\\.tgz|\\.tar|\\.zip)$", "");
    }

    static void extract(Path archive, Path into) throws IOException {
        Files.createDirectories(into);
        String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".zip")) unzip(archive, into);
        else
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
                untar(n.endsWith(".tar") ? raw : new GZIPInputStream(raw, 1 << 16), into);
            }
    }

    private static void unzip(Path archive, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path target = inside(into, e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, target);
                }
            }
        }
    }

    private static void untar(InputStream in, Path into) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        String paxPath = null;
        while (true) {
            if (!readFully(in, header)) return; // a truncated end is tolerated: what was complete is kept
            if (allZero(header)) return;
            String name = string(header, 0, 100);
            String prefix = string(header, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(string(header, 257, 5))) name = prefix + "/" + name;
            long size = number(header, 124, 12);
            char type = (char) header[156];
            String link = string(header, 157, 100);
            if (type == 'L') { // GNU long name: the next entry's name is this entry's data
                longName = new String(readData(in, size), StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (type == 'x' || type == 'g') { // pax extended header: "LEN path=VALUE\n" records
                String pax = new String(readData(in, size), StandardCharsets.UTF_8);
                for (String rec : pax.split("\n")) {
                    int sp = rec.indexOf(' ');
                    if (sp > 0 && rec.startsWith("path=", sp + 1) && type == 'x') paxPath = rec.substring(sp + 6);
                }
                continue;
            }
            if (longName != null) name = longName;
            if (paxPath != null) name = paxPath;
            longName = null;
            paxPath = null;
            Path target = inside(into, name);
            switch (type) {
                case '5' -> {
                    Files.createDirectories(target);
                    skip(in, size);
                }
                case '2' -> { // symbolic link: kept when it stays inside the archive's folder
                    Path resolved = target.getParent().resolve(link).normalize();
                    if (resolved.startsWith(into.normalize())) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(link));
                    }
                    skip(in, size);
                }
                case '0', '\0', '7' -> {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(in, out, size);
                    }
                    skip(in, padding(size));
                }
                default -> skip(in, size); // hard links, devices, fifos: nothing a model needs
            }
        }
    }

    /** {@code into/name}, refusing absolute names and ".." that climb out. */
    static Path inside(Path into, String name) throws IOException {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) n = n.substring(2);
        Path target = into.resolve(n).normalize();
        if (n.startsWith("/") || !target.startsWith(into.normalize()))
            throw new IOException("the archive entry '" + name + "' would be written outside " + into + "; refused");
        return target;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > (1 << 20)) throw new IOException("a tar header of " + size + " bytes: not a model archive");
        byte[] b = new byte[(int) size];
        if (!readFully(in, b)) throw new EOFException("the archive ends inside a header");
        skip(in, padding(size));
        return b;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new EOFException("the archive ends " + left + " bytes before the end of a file");
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException("the archive ends early");
                s = 1;
            }
            left -= s;
        }
    }

    private static long padding(long size) {
        return (512 - size % 512) % 512;
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) return false;
            off += n;
        }
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8).strip();
    }

    /** Octal, or GNU base-256 for sizes of 8 GiB and more (high bit of the first byte set). */
    private static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = 0;
            for (int i = off + 1; i < off + len; i++) v = (v << 8) | (h[i] & 0xff);
            return v;
        }
        String s = string(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
