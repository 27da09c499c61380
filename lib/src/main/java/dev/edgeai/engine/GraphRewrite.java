package dev.edgeai.engine;

import dev.edgeai.chat.ChatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sets the {@code accuracy_level} of every com.microsoft {@code MatMulNBits} node of an ONNX model, in memory, without
 * copying its weights: the rewritten graph refers to each large initializer's bytes where they already lie, inside
 * the original file (ONNX external data: location = the original file's name, offset and length of its raw bytes),
 * so the result is a few MB for a model of any size and nothing is written to disk. ORT loads it from bytes with
 * {@code session.model_external_initializers_file_folder_path} set to the model's folder.
 *
 * <p>Why: onnx-community's {@code model_q4.onnx} files (transformers.js's quantizer) leave the level unset (0: fp32
 * compute); level 4 quantizes activations to int8 per block and runs MLAS's int8 kernels, about 3× faster decode on
 * AVX2/AVX512 CPUs. ORT has no session option for it (only for its own DQ+MatMul fusion), so the attribute is changed.
 *
 * <p>The ONNX protobuf is walked by hand along ModelProto.graph → GraphProto.node/initializer → NodeProto.attribute
 * (recursing into subgraphs of If/Loop/Scan attributes); every other field is copied byte for byte.
 */
final class GraphRewrite {
    /** Initializers with at least this many raw bytes are referenced in place instead of copied. */
    static final int EXTERNALIZE_BYTES = 1024;

    private static final String OP = "MatMulNBits";
    private static final String DOMAIN = "com.microsoft";
    private static final String ATTR = "accuracy_level";

    /**
     * @param model      the rewritten ModelProto
     * @param nodes      MatMulNBits nodes whose level changed
     * @param referenced initializer bytes left in the original file
     */
    record Result(byte[] model, int nodes, long referenced) {}

    private final ByteBuffer in;
    private final String fileName;
    private final int level;
    private final boolean force;
    private int changed;
    private long referenced;

    private GraphRewrite(ByteBuffer in, String fileName, int level, boolean force) {
        this.in = in;
        this.fileName = fileName;
        this.level = level;
        this.force = force;
    }

    /**
     * The model with MatMulNBits nodes at {@code level}: only nodes at level 0 (or unset) change unless {@code force},
     * which sets every node (used to build level-0 twins for the quality check). Null when no node would change, so
     * the caller loads the file as it is. With {@code inline} the weights are copied into the result (a complete,
     * self-contained model, for tests and tools that write it out).
     */
    static Result accuracyLevel(Path file, int level, boolean force, boolean inline) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE)
                throw new ChatException(
                        ChatException.Kind.MODEL_LOAD,
                        file + " is larger than 2 GB, which a single ONNX protobuf cannot be; it is not a model file");
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            GraphRewrite r =
                    new GraphRewrite(map, inline ? null : file.getFileName().toString(), level, force);
            if (!r.scanModel(0, (int) size)) return null;
            byte[] out = r.model(0, (int) size);
            return new Result(out, r.changed, r.referenced);
        } catch (IOException e) {
            throw new ChatException(ChatException.Kind.MODEL_LOAD, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new ChatException(
                    ChatException.Kind.MODEL_LOAD,
                    "cannot load model file " + file + ": it may be corrupt or truncated (" + e.getMessage()
                            + "), download it again",
                    e);
        }
    }

    // ---- scanning: does any node need a change? (touches only message headers, not weight bytes)

    private boolean scanModel(int from, int to) {
        for (int p = from; p < to; ) {
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 7 && wire == 2) {
                int len = (int) varint(p);
                p += varintSize(p);
                if (scanGraph(p, p + len)) return true;
                p += len;
            } else p = skip(p, wire);
        }
        return false;
    }

    private boolean scanGraph(int from, int to) {
        for (int p = from; p < to; ) {
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 1 && wire == 2) {
                int len = (int) varint(p);
                p += varintSize(p);
                if (scanNode(p, p + len)) return true;
                p += len;
            } else p = skip(p, wire);
        }
        return false;
    }

    private boolean scanNode(int from, int to) {
        Node n = node(from, to);
        if (n.target() && (force ? n.level != level : n.level == 0)) return true;
        for (int[] a : n.attributes) for (int[] g : subgraphs(a[0], a[1])) if (scanGraph(g[0], g[1])) return true;
        return false;
    }

    // ---- writing

    private byte[] model(int from, int to) {
        Out out = new Out();
        for (int p = from; p < to; ) {
            int start = p;
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 7 && wire == 2) {
                int len = (int) varint(p);
                p += varintSize(p);
                out.message(7, graph(p, p + len));
                p += len;
            } else {
                p = skip(p, wire);
                out.copy(in, start, p);
            }
        }
        return out.toByteArray();
    }

    private byte[] graph(int from, int to) {
        Out out = new Out();
        for (int p = from; p < to; ) {
            int start = p;
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (wire == 2 && (field == 1 || field == 5)) {
                int len = (int) varint(p);
                p += varintSize(p);
                out.message(field, field == 1 ? node(p, p + len).write() : tensor(p, p + len));
                p += len;
            } else {
                p = skip(p, wire);
                out.copy(in, start, p);
            }
        }
        return out.toByteArray();
    }

    /** An initializer (TensorProto) whose raw_data moves out: data_location EXTERNAL, location/offset/length. */
    private byte[] tensor(int from, int to) {
        int rawAt = -1, rawLen = 0;
        boolean external = false;
        for (int p = from; p < to; ) {
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 9 && wire == 2) {
                rawLen = (int) varint(p);
                rawAt = p + varintSize(p);
            }
            if (field == 14 && wire == 0 && varint(p) == 1) external = true;
            p = skip(p, wire);
        }
        Out out = new Out();
        if (fileName == null || external || rawAt < 0 || rawLen < EXTERNALIZE_BYTES) {
            out.copy(in, from, to);
            return out.toByteArray();
        }
        for (int p = from; p < to; ) {
            int start = p;
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            p = skip(p, wire);
            if (field != 9 && field != 14) out.copy(in, start, p);
        }
        out.message(13, entry("location", fileName));
        out.message(13, entry("offset", Long.toString(rawAt)));
        out.message(13, entry("length", Long.toString(rawLen)));
        out.tag(14, 0);
        out.varint(1);
        referenced += rawLen;
        return out.toByteArray();
    }

    private static byte[] entry(String key, String value) {
        Out e = new Out();
        e.string(1, key);
        e.string(2, value);
        return e.toByteArray();
    }

    /** A NodeProto read once: its op, domain, level and where its attributes lie. */
    private final class Node {
        final int from, to;
        String op = "", domain = "";
        long level; // 0 when the attribute is absent, as ORT reads it
        int levelAttr = -1;
        final java.util.List<int[]> attributes = new java.util.ArrayList<>();

        Node(int from, int to) {
            this.from = from;
            this.to = to;
        }

        boolean target() {
            return OP.equals(op) && DOMAIN.equals(domain);
        }

        byte[] write() {
            boolean change = target() && (force ? level != GraphRewrite.this.level : level == 0);
            Out out = new Out();
            for (int p = from; p < to; ) {
                int start = p;
                long tag = varint(p);
                p += varintSize(p);
                int field = (int) (tag >>> 3), wire = (int) (tag & 7);
                if (field == 5 && wire == 2) {
                    int len = (int) varint(p);
                    p += varintSize(p);
                    if (change && start == levelAttr) out.message(5, levelAttribute());
                    else out.message(5, attribute(p, p + len));
                    p += len;
                } else {
                    p = skip(p, wire);
                    out.copy(in, start, p);
                }
            }
            if (change) {
                if (levelAttr < 0) out.message(5, levelAttribute());
                changed++;
            }
            return out.toByteArray();
        }
    }

    private Node node(int from, int to) {
        Node n = new Node(from, to);
        for (int p = from; p < to; ) {
            int start = p;
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (wire == 2 && (field == 4 || field == 7)) {
                String s = string(p);
                if (field == 4) n.op = s;
                else n.domain = s;
            } else if (wire == 2 && field == 5) {
                int len = (int) varint(p);
                int at = p + varintSize(p);
                n.attributes.add(new int[] {at, at + len});
                if (ATTR.equals(attributeName(at, at + len))) {
                    n.levelAttr = start;
                    n.level = attributeInt(at, at + len);
                }
            }
            p = skip(p, wire);
        }
        return n;
    }

    private byte[] levelAttribute() {
        Out a = new Out();
        a.string(1, ATTR);
        a.tag(3, 0);
        a.varint(level);
        a.tag(20, 0);
        a.varint(2); // AttributeType INT
        return a.toByteArray();
    }

    /** An attribute copied as is, except that subgraphs (g = 6, graphs = 11) are rewritten too. */
    private byte[] attribute(int from, int to) {
        Out out = new Out();
        for (int p = from; p < to; ) {
            int start = p;
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (wire == 2 && (field == 6 || field == 11)) {
                int len = (int) varint(p);
                p += varintSize(p);
                out.message(field, graph(p, p + len));
                p += len;
            } else {
                p = skip(p, wire);
                out.copy(in, start, p);
            }
        }
        return out.toByteArray();
    }

    private java.util.List<int[]> subgraphs(int from, int to) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int p = from; p < to; ) {
            long tag = varint(p);
            p += varintSize(p);
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (wire == 2 && (field == 6 || field == 11)) {
                int len = (int) varint(p);
                int at = p + varintSize(p);
                out.add(new int[] {at, at + len});
            }
            p = skip(p, wire);
        }
        return out;
    }

    private String attributeName(int from, int to) {
        for (int p = from; p < to; ) {
            long tag = varint(p);
            p += varintSize(p);
            if (tag == ((1 << 3) | 2)) return string(p);
            p = skip(p, (int) (tag & 7));
        }
        return "";
    }

    private long attributeInt(int from, int to) {
        for (int p = from; p < to; ) {
            long tag = varint(p);
            p += varintSize(p);
            if (tag == (3 << 3)) return varint(p);
            p = skip(p, (int) (tag & 7));
        }
        return 0;
    }

    // ---- protobuf wire format

    private String string(int p) {
        int len = (int) varint(p);
        byte[] b = new byte[len];
        in.get(p + varintSize(p), b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private long varint(int p) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get(p++);
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) return v;
        }
        throw new IllegalStateException("varint longer than 10 bytes at " + p);
    }

    private int varintSize(int p) {
        int n = 1;
        while (in.get(p++) < 0) n++;
        return n;
    }

    /** The position after a field's value. */
    private int skip(int p, int wire) {
        return switch (wire) {
            case 0 -> p + varintSize(p);
            case 1 -> p + 8;
            case 2 -> {
                long len = varint(p);
                long end = p + varintSize(p) + len;
                if (len < 0 || end > in.limit()) throw new IllegalStateException("field length " + len + " at " + p);
                yield (int) end;
            }
            case 5 -> p + 4;
            default -> throw new IllegalStateException("unsupported wire type " + wire + " at " + p);
        };
    }

    /** A growable protobuf writer. */
    private static final class Out extends ByteArrayOutputStream {
        void varint(long v) {
            while ((v & ~0x7fL) != 0) {
                write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void tag(int field, int wire) {
            varint(((long) field << 3) | wire);
        }

        void message(int field, byte[] body) {
            tag(field, 2);
            varint(body.length);
            write(body, 0, body.length);
        }

        void string(int field, String s) {
            message(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void copy(ByteBuffer src, int from, int to) {
            ensure(to - from);
            src.get(from, buf, count, to - from);
            count += to - from;
        }

        private void ensure(int extra) {
            if (count + extra > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + extra));
        }
    }
}
