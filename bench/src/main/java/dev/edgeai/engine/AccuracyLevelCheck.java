package dev.edgeai.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What raising int4 MatMulNBits from accuracy level 0 to 4 does to a model's output: teacher-forced logits of the same
 * token sequence (real text from data/docs, one run over the whole sequence) with the file as it is (level 0) and as
 * the engine opens it (level 4): top-1 agreement, mean top-5 overlap, max |Δ logit| over every position. With a
 * level-4 twin of the same weights (make_fixtures.py --bench writes one), also checks that the raised file computes
 * exactly what the twin computes. Not a test: prints figures.
 *
 * With {@code --shared-kv} it compares the grouped-query attention rewrite instead ({@link GraphRewrite.SharedKv}):
 * the folder's graph with its per-head key/value copies vs reading the shared heads.
 *
 * <pre>java -cp ... dev.edgeai.engine.AccuracyLevelCheck [--positions 300] [--shared-kv] level0-folder
 *     [level4-twin-folder]</pre>
 */
public final class AccuracyLevelCheck {
    public static void main(String[] args) throws Exception {
        int positions = 300;
        Path zero = null, twin = null;
        boolean sharedKv = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--positions")) positions = Integer.parseInt(args[++i]);
            else if (args[i].equals("--shared-kv")) sharedKv = true;
            else if (zero == null) zero = Path.of(args[i]);
            else twin = Path.of(args[i]);
        }
        if (zero == null) {
            System.err.println("usage: AccuracyLevelCheck [--positions 300] level0-folder [level4-twin-folder]");
            System.exit(2);
        }
        if (sharedKv) {
            // The attention rewrite alone: the graph's own per-head key/value copies vs the shared heads.
            var copies = LoadedModel.Options.fromSettings().sharedKv(false);
            try (LoadedModel a = LoadedModel.load(zero, copies);
                    LoadedModel b = LoadedModel.load(zero, copies.sharedKv(true))) {
                System.out.printf(
                        "%s: %d teacher-forced positions, attention as exported vs on the shared key/value heads: %s%n",
                        a.id(), positions, TeacherForced.compare(a, b, text(a, positions)));
            }
            return;
        }
        var keep = LoadedModel.Options.fromSettings().accuracyLevel(0);
        var raise = LoadedModel.Options.fromSettings().accuracyLevel(4);
        try (LoadedModel asIs = LoadedModel.load(zero, keep);
                LoadedModel raised = LoadedModel.load(zero, raise)) {
            int[] seq = text(asIs, positions);
            System.out.printf(
                    "%s: %d teacher-forced positions of data/docs text, level 0 (file as it is) vs 4 (as the engine runs"
                            + " it): %s%n",
                    asIs.id(), seq.length, TeacherForced.compare(asIs, raised, seq));
            if (twin != null)
                try (LoadedModel four = LoadedModel.load(twin, keep)) {
                    System.out.printf(
                            "%s raised vs %s (a level-4 file of the same weights): %s%n",
                            asIs.id(), four.id(), TeacherForced.compare(raised, four, seq));
                }
        }
    }

    /** Workshop text (data/docs) in the model's tokenizer, {@code n} tokens. */
    static int[] text(LoadedModel m, int n) throws Exception {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(Path.of("data/docs"))) {
            for (Path p :
                    files.filter(p -> p.toString().endsWith(".md")).sorted().toList())
                b.append(Files.readString(p)).append('\n');
        }
        int[] all = m.tokenizer().encode(b.toString(), false);
        if (all.length < n) throw new IllegalStateException("data/docs holds only " + all.length + " tokens");
        return Arrays.copyOf(all, n);
    }
}
