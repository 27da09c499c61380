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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>The same pass can also take the per-head key/value copies out of grouped-query attention ({@link SharedKv}).
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
     * @param attention  attention MatMuls that now read the shared key/value heads directly
     */
    record Result(byte[] model, int nodes, long referenced, int attention) {
        Result(byte[] model, int nodes, long referenced) {
            this(model, nodes, referenced, 0);
        }
    }

    /**
     * What to change: MatMulNBits to {@code level} (0 = leave; {@code force}: every node, not just level 0), and with
     * {@code heads > kvHeads > 0} grouped-query attention without the copied key/value heads (see
     * {@link SharedKv}).
     */
    record Plan(int level, boolean force, int heads, int kvHeads) {
        boolean attention() {
            return kvHeads > 0 && heads > kvHeads && heads % kvHeads == 0;
        }
    }

    private final ByteBuffer in;
    private final String fileName;
    private final int level;
    private final boolean force;
    private int changed;
    private long referenced;
    /** The main graph's attention rewrite, or null (only the main graph's nodes are planned; subgraphs are not). */
    private SharedKv shared;

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
        return rewrite(file, new Plan(level, force, 0, 0), inline);
    }

    /** The model as {@code plan} says, or null when nothing would change. */
    static Result rewrite(Path file, Plan plan, boolean inline) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE)
                throw new ChatException(
                        ChatException.Kind.MODEL_LOAD,
                        file + " is larger than 2 GB, which a single ONNX protobuf cannot be; it is not a model file");
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            GraphRewrite r =
                    new GraphRewrite(map, inline ? null : file.getFileName().toString(), plan.level(), plan.force());
            if (plan.attention())
                for (Field f : r.fields(0, (int) size))
                    if (f.is(7, 2)) r.shared = r.new SharedKv(f.at, f.end, plan.heads(), plan.kvHeads());
            if (r.shared != null && r.shared.rewritten == 0) r.shared = null;
            if (!((plan.level() > 0 || plan.force()) && r.scanModel(0, (int) size)) && r.shared == null) return null;
            byte[] out = r.model(0, (int) size);
            return new Result(out, r.changed, r.referenced, r.shared == null ? 0 : r.shared.rewritten);
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
            if (f.is(7, 2)) out.message(7, graph(f.at, f.end, shared));
            else out.copy(in, f.start, f.end);
        return out.toByteArray();
    }

    private byte[] graph(int from, int to, SharedKv plan) {
        Out out = new Out();
        int node = 0;
        for (Field f : fields(from, to))
            if (f.is(1, 2)) {
                int i = node++;
                if (plan == null) out.message(1, node(f.at, f.end).write(null, null));
                else if (!plan.dead.contains(i)) {
                    SharedKv.Edit e = plan.edits.get(i);
                    if (e != null && e.before != null) out.message(1, e.before);
                    out.message(1, node(f.at, f.end).write(e == null ? null : e.inputs, e == null ? null : e.outputs));
                    if (e != null && e.after != null) out.message(1, e.after);
                }
            } else if (f.is(5, 2)) {
                if (plan == null || !plan.deadInitializers.contains(initializerName(f)))
                    out.message(5, tensor(f.at, f.end));
            } else out.copy(in, f.start, f.end);
        if (plan != null) for (byte[] t : plan.shapes) out.message(5, t);
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

        /** The node, its inputs and outputs renamed as the maps say (by position; null: none). */
        byte[] write(java.util.Map<Integer, String> inputs, java.util.Map<Integer, String> outputs) {
            boolean change = (GraphRewrite.this.level > 0 || force)
                    && target()
                    && (force ? level != GraphRewrite.this.level : level == 0);
            Out out = new Out();
            int input = 0, output = 0;
            for (Field f : fields(from, to))
                if (f.is(1, 2) && inputs != null && inputs.containsKey(input)) out.string(1, inputs.get(input++));
                else if (f.is(2, 2) && outputs != null && outputs.containsKey(output))
                    out.string(2, outputs.get(output++));
                else if (!f.is(5, 2)) {
                    if (f.is(1, 2)) input++;
                    if (f.is(2, 2)) output++;
                    out.copy(in, f.start, f.end);
                } else if (change && f.equals(levelAttr)) out.message(5, levelAttribute());
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

    private String initializerName(Field tensor) {
        for (Field f : fields(tensor.at, tensor.end)) if (f.is(8, 2)) return text(f);
        return "";
    }

    // ---- grouped-query attention without copied key/value heads

    /**
     * Exporters write grouped-query attention as transformers computes it: each key/value head is copied to the query
     * heads that share it ({@code repeat_kv}: Unsqueeze at axis 2, Expand, Reshape to [B, heads, T, D]) before the
     * score and value MatMuls. That copy is made at every decode step, over the whole context: at 4 rows of 400
     * positions, 7 query heads per key/value head, it writes 7× the cache (≈ 275 MB a step for Qwen2.5-0.5B). The
     * same products come out when the query heads are grouped instead: Q [B, heads, S, D] reshaped to
     * [B, kvHeads, n·S, D] times K^T [B, kvHeads, D, T] is [B, kvHeads, n·S, T], reshaped back to [B, heads, S, T]
     * (head h = kv·n + r in both), and likewise for the probabilities times V. So each such MatMul reads the shared
     * heads directly, between two Reshapes, and the copy and whatever only fed it go.
     *
     * <p>Planned on the main graph only, matching exactly: Unsqueeze (axes 2) → Expand → Reshape → [Transpose
     * (perm 0,1,3,2)] → the MatMul's second input, each output used once. Anything else is left as exported.
     */
    final class SharedKv {
        /** A node rewritten: inputs and outputs renamed by position, and Reshapes put around it. */
        record Edit(
                Map<Integer, String> inputs, Map<Integer, String> outputs, byte[] before, byte[] after, String reads) {}

        final Map<Integer, Edit> edits = new HashMap<>();
        final Set<Integer> dead = new HashSet<>();
        final Set<String> deadInitializers = new HashSet<>();
        final List<byte[]> shapes = new ArrayList<>();
        int rewritten;

        /**
         * A node of the main graph: {@code ints} holds a perm, axes or value_ints attribute; {@code value} a Constant
         * node's tensor, and {@code scalar} a Constant given as value_float / value_int.
         */
        private record Info(
                int index,
                String op,
                List<String> inputs,
                List<String> outputs,
                long[] ints,
                Field value,
                boolean scalar) {}

        SharedKv(int from, int to, int heads, int kvHeads) {
            List<Info> nodes = new ArrayList<>();
            Map<String, Field> initializers = new HashMap<>();
            Set<String> graphInputs = new HashSet<>(), graphOutputs = new HashSet<>();
            for (Field f : fields(from, to)) {
                if (f.is(1, 2)) nodes.add(info(nodes.size(), f));
                else if (f.is(5, 2)) initializers.put(initializerName(f), f);
                else if (f.is(11, 2) || f.is(12, 2))
                    for (Field v : fields(f.at, f.end))
                        if (v.is(1, 2)) (f.number() == 11 ? graphInputs : graphOutputs).add(text(v));
            }
            Map<String, Info> producer = new HashMap<>();
            Map<String, List<Info>> consumers = new HashMap<>();
            for (Info n : nodes) {
                for (String o : n.outputs) producer.put(o, n);
                for (String i : n.inputs)
                    consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
            String groupShape = "edgeai_shared_kv_group", headShape = "edgeai_shared_kv_heads";
            for (Info expand : nodes) {
                if (!expand.op.equals("Expand")) continue;
                Info unsqueeze = producer.get(expand.inputs.getFirst());
                if (unsqueeze == null || !unsqueeze.op.equals("Unsqueeze")) continue;
                long[] axes = unsqueeze.inputs.size() > 1
                        ? int64s(unsqueeze.inputs.get(1), initializers, producer)
                        : unsqueeze.ints;
                if (axes == null || axes.length != 1 || (axes[0] != 2 && axes[0] != -3)) continue;
                Info reshape = only(expand, consumers, graphOutputs);
                if (unsqueeze.outputs.size() != 1
                        || only(unsqueeze, consumers, graphOutputs) != expand
                        || reshape == null
                        || !reshape.op.equals("Reshape")) continue;
                Info next = only(reshape, consumers, graphOutputs);
                if (next == null) continue;
                Info transpose = null, scale = null, matmul = next;
                if (next.op.equals("Transpose")) {
                    if (!java.util.Arrays.equals(next.ints, new long[] {0, 1, 3, 2})) continue;
                    transpose = next;
                    matmul = only(next, consumers, graphOutputs);
                    // torch's exported scaled_dot_product_attention scales the transposed keys before the MatMul
                    if (matmul != null
                            && matmul.op.equals("Mul")
                            && matmul.inputs.size() == 2
                            && matmul.inputs.contains(next.outputs.getFirst())
                            && scalar(
                                    matmul.inputs.get(matmul.inputs.get(0).equals(next.outputs.getFirst()) ? 1 : 0),
                                    initializers,
                                    producer)) {
                        scale = matmul;
                        matmul = only(scale, consumers, graphOutputs);
                    }
                }
                String fed = (scale != null ? scale : transpose != null ? transpose : reshape).outputs.getFirst();
                if (matmul == null
                        || !matmul.op.equals("MatMul")
                        || matmul.inputs.size() != 2
                        || !matmul.inputs.get(1).equals(fed)
                        || matmul.inputs.get(0).equals(fed)
                        || edits.containsKey(matmul.index)) continue;
                int k = ++rewritten;
                String kv = unsqueeze.inputs.getFirst(), grouped = "edgeai_shared_kv_in_" + k;
                String product = "edgeai_shared_kv_out_" + k;
                if (transpose != null) edits.put(transpose.index, new Edit(Map.of(0, kv), null, null, null, null));
                edits.put(
                        matmul.index,
                        new Edit(
                                transpose != null ? Map.of(0, grouped) : Map.of(0, grouped, 1, kv),
                                Map.of(0, product),
                                reshapeNode(matmul.inputs.getFirst(), groupShape, grouped, "in_" + k),
                                reshapeNode(product, headShape, matmul.outputs.getFirst(), "out_" + k),
                                matmul.inputs.getFirst()));
                dead.addAll(List.of(unsqueeze.index, expand.index, reshape.index));
            }
            if (rewritten == 0) return;
            shapes.add(int64Tensor(groupShape, new long[] {0, kvHeads, -1, 0}));
            shapes.add(int64Tensor(headShape, new long[] {0, heads, -1, 0}));
            // What only fed the copies goes too (the Expand's shape, often computed from Shape/Gather/Concat nodes),
            // so ORT neither computes it nor warns about unused initializers. Graph inputs and outputs stay.
            Set<String> used = new HashSet<>();
            for (boolean more = true; more; ) {
                more = false;
                used.clear();
                used.addAll(graphOutputs);
                for (Info n : nodes) {
                    if (dead.contains(n.index)) continue;
                    Edit e = edits.get(n.index);
                    for (int i = 0; i < n.inputs.size(); i++)
                        used.add(
                                e != null && e.inputs() != null && e.inputs().containsKey(i)
                                        ? e.inputs().get(i)
                                        : n.inputs.get(i));
                    if (e != null && e.reads() != null) used.add(e.reads());
                }
                for (Info n : nodes)
                    if (!dead.contains(n.index) && n.outputs.stream().noneMatch(used::contains)) {
                        dead.add(n.index);
                        more = true;
                    }
            }
            for (String name : initializers.keySet())
                if (!used.contains(name) && !graphInputs.contains(name)) deadInitializers.add(name);
        }

        private Info info(int index, Field node) {
            String op = "";
            List<String> ins = new ArrayList<>(), outs = new ArrayList<>();
            long[] ints = null;
            Field value = null;
            boolean scalar = false;
            for (Field f : fields(node.at, node.end)) {
                if (f.is(4, 2)) op = text(f);
                else if (f.is(1, 2)) ins.add(text(f));
                else if (f.is(2, 2)) outs.add(text(f));
                else if (f.is(5, 2)) {
                    // AttributeProto: name 1, f 2, i 3, t 5, ints 8
                    String name = "";
                    Field t = null;
                    List<Long> values = new ArrayList<>();
                    for (Field a : fields(f.at, f.end)) {
                        if (a.is(1, 2)) name = text(a);
                        else if (a.is(5, 2)) t = a;
                        else if (a.is(8, 0)) values.add(varint(a.at));
                        else if (a.is(8, 2)) for (int p = a.at; p < a.end; p += varintSize(p)) values.add(varint(p));
                    }
                    switch (name) {
                        case "perm", "axes", "value_ints" ->
                            ints = values.stream().mapToLong(Long::longValue).toArray();
                        case "value" -> value = t;
                        case "value_float", "value_int" -> scalar = true;
                        default -> {}
                    }
                }
            }
            return new Info(index, op, ins, outs, ints, value, scalar);
        }

        /** The single node reading {@code n}'s only output, or null (several readers, or a graph output). */
        private Info only(Info n, Map<String, List<Info>> consumers, Set<String> graphOutputs) {
            if (n.outputs.size() != 1 || graphOutputs.contains(n.outputs.getFirst())) return null;
            List<Info> c = consumers.getOrDefault(n.outputs.getFirst(), List.of());
            return c.size() == 1 ? c.getFirst() : null;
        }

        /** The TensorProto of a constant: an initializer, or a Constant node's value; null when computed. */
        private Field tensorOf(String name, Map<String, Field> initializers, Map<String, Info> producer) {
            Field t = initializers.get(name);
            if (t != null) return t;
            Info c = producer.get(name);
            return c != null && c.op.equals("Constant") ? c.value : null;
        }

        /** An int64 constant's values; null when computed or of another type. */
        private long[] int64s(String name, Map<String, Field> initializers, Map<String, Info> producer) {
            Info c = producer.get(name);
            if (c != null && c.op.equals("Constant") && c.ints != null) return c.ints;
            Field t = tensorOf(name, initializers, producer);
            if (t == null) return null;
            int type = 0;
            Field raw = null;
            List<Long> values = new ArrayList<>();
            for (Field f : fields(t.at, t.end)) {
                if (f.is(2, 0)) type = (int) varint(f.at);
                else if (f.is(9, 2)) raw = f;
                else if (f.is(7, 2)) for (int p = f.at; p < f.end; p += varintSize(p)) values.add(varint(p));
                else if (f.is(7, 0)) values.add(varint(f.at));
            }
            if (type != 7) return null; // INT64
            if (raw != null) {
                long[] v = new long[raw.length() / 8];
                ByteBuffer le = in.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < v.length; i++) v[i] = le.getLong(raw.at + 8 * i);
                return v;
            }
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        /** Whether a constant holds one value (a scale multiplies every element alike, grouped or not). */
        private boolean scalar(String name, Map<String, Field> initializers, Map<String, Info> producer) {
            Info c = producer.get(name);
            if (c != null && c.op.equals("Constant") && c.scalar) return true;
            Field t = tensorOf(name, initializers, producer);
            if (t == null) return false;
            long n = 1;
            for (Field f : fields(t.at, t.end))
                if (f.is(1, 0)) n *= varint(f.at);
                else if (f.is(1, 2)) for (int p = f.at; p < f.end; p += varintSize(p)) n *= varint(p);
            return n == 1;
        }

        private static byte[] reshapeNode(String input, String shape, String output, String name) {
            Out n = new Out();
            n.string(1, input);
            n.string(1, shape);
            n.string(2, output);
            n.string(3, "edgeai_shared_kv_reshape_" + name);
            n.string(4, "Reshape");
            return n.toByteArray();
        }

        private static byte[] int64Tensor(String name, long[] values) {
            Out t = new Out();
            t.tag(1, 0);
            t.varint(values.length);
            t.tag(2, 0);
            t.varint(7); // INT64
            t.string(8, name);
            byte[] raw = new byte[8 * values.length];
            java.nio.ByteBuffer.wrap(raw)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asLongBuffer()
                    .put(values);
            t.message(9, raw);
            return t.toByteArray();
        }
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
            if (f.isGraph()) out.message(f.number, graph(f.at, f.end, null));
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
