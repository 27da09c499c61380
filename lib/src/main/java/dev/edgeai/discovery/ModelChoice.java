package dev.edgeai.discovery;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ModelResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which served model plays which part, decided the same way in every script. A model the user named must be
 * served (else one error listing what is); a part left to its default takes the default alias when the server has
 * it, else a served model picked by size: the smallest for the small part, the largest for the large one. Size comes
 * from the catalog when it knows the model, else from the parameter count in the id ({@code qwen2.5:0.5b},
 * {@code gpt-oss-20b}), else from a role word in the id ({@code slm-fake}, {@code tiny}, {@code llm-fake}).
 */
public final class ModelChoice {
    /** The workshop's small model: what scripts ask for when the user names none (SLM_ALIAS changes it). */
    public static final String DEFAULT_SLM = "phi-4-mini";

    /** The workshop's large model (LLM_ALIAS changes it). */
    public static final String DEFAULT_LLM = "gpt-oss-20b";

    /** Which end of the served list a part takes when it is not named and its default alias is not served. */
    public enum Size {
        SMALL,
        LARGE
    }

    /**
     * One model a script needs.
     *
     * @param part         how messages name the part: "slm", "llm", "model"
     * @param size         where to pick from when neither the name nor the default is served
     * @param name         what the user named (option or environment variable), or null
     * @param defaultName  the alias tried when {@code name} is null (e.g. phi-4-mini), or null for none
     * @param option       the option that names it, quoted in messages (e.g. --slm)
     */
    public record Want(
            String part,
            Size size,
            String name,
            String defaultName,
            String option,
            String inProcess,
            String fallback,
            String inProcessOption) {
        public Want {
            name = blankToNull(name);
            inProcess = blankToNull(inProcess);
            fallback = blankToNull(fallback);
        }

        public static Want of(String part, Size size, String name, String defaultName, String option) {
            return new Want(part, size, name, defaultName, option, null, null, null);
        }

        /**
         * This part runs in-process: {@code spec} is a model folder, a Foundry Local cache id or a Hugging Face repo
         * id (null: not asked); {@code option} names where it came from, for the offline hint.
         */
        public Want inProcess(String spec, String option) {
            return new Want(part, size, name, defaultName, this.option, spec, fallback, option);
        }

        /** The model run in-process when no server is found (null: no fallback, fail with what was tried). */
        public Want fallback(String spec) {
            return new Want(part, size, name, defaultName, option, inProcess, spec, inProcessOption);
        }

        public boolean named() {
            return name != null;
        }

        /** What this part asks for: the user's name, else the default alias. */
        public String requested() {
            return named() ? name : defaultName;
        }
    }

    /** How a part got its model. */
    public enum How {
        /** the user named it */
        NAMED,
        /** the default alias is served */
        DEFAULT,
        /** picked from the served models by size */
        PICKED,
        /** loaded into this JVM */
        EMBEDDED
    }

    /**
     * The model of one part.
     *
     * @param requested the name asked for (the user's or the default alias), or null when picked
     * @param id        the id to send: as the server lists it, or the embedded model's folder name
     */
    public record Pick(Want want, String requested, String id, How how) {
        /** The name to show: what the user or the default asked for, else the id. */
        public String label() {
            return how == How.NAMED || how == How.DEFAULT ? requested : id;
        }
    }

    private ModelChoice() {}

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * Assigns a served model to every part.
     *
     * @param served    ids the server lists, in its order
     * @param knownSize parameter count in billions for ids the caller knows (the catalog), NaN for others
     * @param where     the server, named in the error for an unknown model (e.g. its URL)
     * @throws ChatException UNKNOWN_MODEL naming the model and what {@code where} serves, when a named model is not
     *                       served or nothing is served
     */
    public static List<Pick> choose(
            List<Want> wants, List<String> served, ToDoubleFunction<String> knownSize, String where) {
        Pick[] picks = new Pick[wants.size()];
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < wants.size(); i++) {
            Want w = wants.get(i);
            String requested = w.requested();
            String id = requested == null
                    ? null
                    : ModelResolver.find(requested, served).orElse(null);
            if (id == null && w.named()) throw unknown(w, served, where);
            if (id != null) {
                picks[i] = new Pick(w, requested, id, w.named() ? How.NAMED : How.DEFAULT);
                taken.add(id);
            }
        }
        List<String> bySize = bySize(served, knownSize);
        for (int i = 0; i < wants.size(); i++) {
            if (picks[i] != null) continue;
            Want w = wants.get(i);
            if (bySize.isEmpty()) throw unknown(w, served, where);
            // Another part's model is reused only when nothing else is served.
            List<String> free =
                    bySize.stream().filter(id -> !taken.contains(id)).toList();
            List<String> from = free.isEmpty() ? bySize : free;
            String id = w.size() == Size.SMALL ? from.getFirst() : from.getLast();
            picks[i] = new Pick(w, null, id, How.PICKED);
            taken.add(id);
        }
        return List.of(picks);
    }

    /**
     * The one line a script prints when it picked models itself, or null when every part got what it asked for:
     * {@code models: slm = slm-fake, llm = llm-fake (picked by size from what http://… serves: phi-4-mini,
     * gpt-oss-20b are not served; choose with --slm, --llm)}.
     */
    public static String describe(List<Pick> picks, String where) {
        List<Pick> picked = picks.stream().filter(p -> p.how() == How.PICKED).toList();
        if (picked.isEmpty()) return null;
        List<String> parts = picks.stream()
                .map(p -> p.want().part() + " = " + p.id()
                        + (p.how() == How.PICKED ? "" : p.how() == How.NAMED ? " (named)" : " (default)"))
                .toList();
        List<String> missing = picked.stream()
                .map(p -> p.want().defaultName())
                .filter(n -> n != null)
                .distinct()
                .toList();
        List<String> options = picked.stream()
                .map(p -> p.want().option())
                .filter(o -> o != null)
                .distinct()
                .toList();
        return "models: " + String.join(", ", parts) + " (picked by size from what " + where + " serves"
                + (missing.isEmpty() ? "" : ": " + String.join(", ", missing) + " not served")
                + (options.isEmpty() ? "" : "; choose with " + String.join(", ", options)) + ")";
    }

    /** One line naming the model, the option it came from and what the server has. */
    static ChatException unknown(Want w, List<String> served, String where) {
        String list = served.isEmpty()
                ? "no models (load one: e.g. `foundry model run phi-4-mini` or `ollama pull qwen2.5:0.5b`)"
                : String.join(", ", served);
        String asked = w.requested() == null ? "a " + w.part() + " model" : "'" + w.requested() + "'";
        String label = "--model".equals(w.option()) ? "--model" : "model";
        String from = w.named() && w.option() != null && !"--model".equals(w.option()) ? " (" + w.option() + ")" : "";
        return new ChatException(
                ChatException.Kind.UNKNOWN_MODEL,
                "unknown " + label + " " + asked + from + "; " + where + " serves " + list);
    }

    /**
     * The served ids, smallest first: ids with a small role word, then ids of known size by size, then ids of
     * unknown size in server order, then ids with a large role word.
     */
    public static List<String> bySize(List<String> served, ToDoubleFunction<String> knownSize) {
        record Ranked(String id, int bucket, double size, int order) {}
        List<Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < served.size(); i++) {
            String id = served.get(i);
            double size = knownSize.applyAsDouble(id);
            if (Double.isNaN(size)) size = paramsB(id);
            int bucket = !Double.isNaN(size)
                    ? 1
                    : switch (roleWord(id)) {
                        case SMALL -> 0;
                        case LARGE -> 3;
                        case null -> 2;
                    };
            ranked.add(new Ranked(id, bucket, Double.isNaN(size) ? 0 : size, i));
        }
        return ranked.stream()
                .sorted(Comparator.comparingInt(Ranked::bucket)
                        .thenComparingDouble(Ranked::size)
                        .thenComparingInt(Ranked::order))
                .map(Ranked::id)
                .toList();
    }

    /** "0.5b", "7B", ":20b", "-135m": a size suffix not glued to a word before it ("qwen2.5" is not a size). */
    private static final Pattern PARAMS =
            Pattern.compile("(?<![a-z0-9.])(\\d+(?:\\.\\d+)?)([bm])(?![a-z0-9])", Pattern.CASE_INSENSITIVE);

    /** The parameter count in billions that the id states ({@code qwen2.5:7b} → 7), or NaN. */
    public static double paramsB(String id) {
        Matcher m = PARAMS.matcher(id == null ? "" : id);
        if (!m.find()) return Double.NaN;
        double v = Double.parseDouble(m.group(1));
        return m.group(2).equalsIgnoreCase("m") ? v / 1000 : v;
    }

    /** A role word in the id (slm, small, tiny, mini / llm, large), or null. */
    public static Size roleWord(String id) {
        for (String word : id.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            switch (word) {
                case "slm", "small", "tiny", "mini" -> {
                    return Size.SMALL;
                }
                case "llm", "large", "big" -> {
                    return Size.LARGE;
                }
                default -> {}
            }
        }
        return null;
    }
}
