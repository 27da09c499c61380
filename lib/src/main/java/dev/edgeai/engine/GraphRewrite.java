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
        for (Field f : fields(from, to)) if (f.is(7, 2) && scanGraph(f.at, f.end)) return true;
        return false;
    }

    private boolean scanGraph(int from, int to) {
        for (Field f : fields(from, to)) if (f.is(1, 2) && scanNode(f.at, f.end)) return true;
        return false;
    }

    private boolean scanNode(int from, int to) {
        Node n = node(from, to);
        if (n.target() && (force ? n.level != level : n.level == 0)) return true;
        for (Field a : n.attributes)
            for (Field g : fields(a.at, a.end)) if (g.isGraph() && scanGraph(g.at, g.end)) return true;
        return false;
    }

    // ---- writing: every field copied byte for byte except the messages on the way to the nodes and initializers

    private byte[] model(int from, int to) {
        Out out = new Out();
        for (Field f : fields(from, to))
            if (f.is(7, 2)) out.message(7, graph(f.at, f.end));
            else out.copy(in, f.start, f.end);
        return out.toByteArray();
    }

    private byte[] graph(int from, int to) {
        Out out = new Out();
        for (Field f : fields(from, to))
            if (f.is(1, 2)) out.message(1, node(f.at, f.end).write());
            else if (f.is(5, 2)) out.message(5, tensor(f.at, f.end));
            else out.copy(in, f.start, f.end);
        return out.toByteArray();
    }

    /** An initializer (TensorProto) whose raw_data moves out: data_location EXTERNAL, location/offset/length. */
    private byte[] tensor(int from, int to) {
        java.util.List<Field> fields = fields(from, to);
        Field raw = null;
        boolean external = false;
        for (Field f : fields) {
            if (f.is(9, 2)) raw = f;
            if (f.is(14, 0) && varint(f.at) == 1) external = true;
        }
        Out out = new Out();
        if (fileName == null || external || raw == null || raw.length() < EXTERNALIZE_BYTES) {
            out.copy(in, from, to);
            return out.toByteArray();
        }
        for (Field f : fields) if (f.number != 9 && f.number != 14) out.copy(in, f.start, f.end);
        out.message(13, entry("location", fileName));
        out.message(13, entry("offset", Long.toString(raw.at)));
        out.message(13, entry("length", Long.toString(raw.length())));
        out.tag(14, 0);
        out.varint(1);
        referenced += raw.length();
        return out.toByteArray();
    }

    private static byte[] entry(String key, String value) {
        Out e = new Out();
        e.string(1, key);
        e.string(2, value);
        return e.toByteArray();
    }

    /** A NodeProto read once: its op, domain, level and its attributes. */
    private final class Node {
        final int from, to;
        String op = "", domain = "";
        long level; // 0 when the attribute is absent, as ORT reads it
        Field levelAttr;
        final java.util.List<Field> attributes = new java.util.ArrayList<>();

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
            for (Field f : fields(from, to))
                if (!f.is(5, 2)) out.copy(in, f.start, f.end);
                else if (change && f.equals(levelAttr)) out.message(5, levelAttribute());
                else out.message(5, attribute(f.at, f.end));
            if (change) {
                if (levelAttr == null) out.message(5, levelAttribute());
                changed++;
            }
            return out.toByteArray();
        }
    }

    private Node node(int from, int to) {
        Node n = new Node(from, to);
        for (Field f : fields(from, to)) {
            if (f.is(4, 2)) n.op = text(f);
            else if (f.is(7, 2)) n.domain = text(f);
            else if (f.is(5, 2)) {
                n.attributes.add(f);
                java.util.List<Field> attr = fields(f.at, f.end); // AttributeProto: name = 1, i = 3
                if (attr.stream().anyMatch(a -> a.is(1, 2) && ATTR.equals(text(a)))) {
                    n.levelAttr = f;
                    n.level = attr.stream()
                            .filter(a -> a.is(3, 0))
                            .mapToLong(a -> varint(a.at))
                            .findFirst()
                            .orElse(0);
                }
            }
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
        for (Field f : fields(from, to))
            if (f.isGraph()) out.message(f.number, graph(f.at, f.end));
            else out.copy(in, f.start, f.end);
        return out.toByteArray();
    }

    // ---- protobuf wire format

    /**
     * One field of a message: its number and wire type, where it starts (its tag) and ends, and where its value lies
     * ({@code at}: a varint's first byte, or a length-delimited field's payload, which then ends at {@code end}).
     */
    private record Field(int number, int wire, int start, int at, int end) {
        boolean is(int n, int w) {
            return number == n && wire == w;
        }

        /** A subgraph attribute: AttributeProto.g (6) or .graphs (11). */
        boolean isGraph() {
            return wire == 2 && (number == 6 || number == 11);
        }

        int length() {
            return end - at;
        }
    }

    /** The fields of the message in [from, to), in order; values are not read. */
    private java.util.List<Field> fields(int from, int to) {
        java.util.List<Field> out = new java.util.ArrayList<>();
        for (int p = from; p < to; ) {
            int start = p;
            long tag = varint(p);
            p += varintSize(p);
            int number = (int) (tag >>> 3), wire = (int) (tag & 7);
            int end = skip(p, wire);
            out.add(new Field(number, wire, start, wire == 2 ? p + varintSize(p) : p, end));
            p = end;
        }
        return out;
    }

    private String text(Field f) {
        byte[] b = new byte[f.length()];
        in.get(f.at, b);
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
