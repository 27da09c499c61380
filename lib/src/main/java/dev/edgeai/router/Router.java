package dev.edgeai.router;

import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.ModelResolver;
import java.util.Comparator;
import java.util.List;

/**
 * Picks a model per request: the cheapest model in play that the catalog lists as strong at the request's intent,
 * else the most capable (most expensive) one. Models "in play" are the ones the user can run now (the SLM and LLM
 * options), each known by the name to send and its catalog entry.
 */
public final class Router {
    /** A model that can be called: {@code name} as given to the backend (alias or server id), its catalog entry. */
    public record Target(String name, CatalogModel entry) {}

    /** A routing decision with its explanation. */
    public record Decision(String prompt, IntentClassifier.Classification classification, Target target, String why) {
        public Intent intent() {
            return classification.intent();
        }

        /** Two lines: how the intent was found, then why this model. */
        public String explain() {
            return "intent " + intent() + " (" + classification.method().name().toLowerCase() + "): "
                    + classification.reason() + "\n→ " + target.name() + " ["
                    + target.entry().sizeClass() + "]: " + why;
        }
    }

    private final IntentClassifier classifier;
    private final List<Target> inPlay;

    public Router(IntentClassifier classifier, List<Target> inPlay) {
        if (inPlay.isEmpty()) throw new IllegalArgumentException("the router needs at least one model");
        this.classifier = classifier;
        this.inPlay = List.copyOf(inPlay);
    }

    /** The usual pair: a small and a large model, looked up in the catalog (unknown names fail with what to add). */
    public static Router of(ModelCatalog catalog, IntentClassifier classifier, String slm, String llm) {
        return new Router(
                classifier, List.of(new Target(slm, catalog.require(slm)), new Target(llm, catalog.require(llm))));
    }

    /**
     * A small and a large model that a backend serves: a model the catalog does not list gets a default entry
     * ({@link ModelCatalog#entryFor}: size class from its id or from the part it plays, costs unknown).
     */
    public static Router forServed(ModelCatalog catalog, IntentClassifier classifier, String slm, String llm) {
        return new Router(
                classifier,
                List.of(new Target(slm, catalog.entryFor(slm, "slm")), new Target(llm, catalog.entryFor(llm, "llm"))));
    }

    /**
     * The same router with each model named as the backend lists it ("phi-4-mini" → "Phi-4-mini-instruct-generic-cpu:4");
     * a model the backend does not have fails here with the list of those it has.
     */
    public Router resolve(List<ModelInfo> available) {
        return new Router(
                classifier,
                inPlay.stream()
                        .map(t -> new Target(ModelResolver.resolve(t.name(), available), t.entry()))
                        .toList());
    }

    public IntentClassifier classifier() {
        return classifier;
    }

    public List<Target> inPlay() {
        return inPlay;
    }

    public Decision route(String prompt) {
        return decide(prompt, classifier.classify(prompt));
    }

    public Decision decide(String prompt, IntentClassifier.Classification c) {
        Target t = choose(c.intent());
        boolean strong = t.entry().strongAt(c.intent());
        String cost = t.entry().costsKnown()
                ? String.format(
                        " ($%.2f/$%.2f per 1M in/out)",
                        t.entry().costPer1MInput(), t.entry().costPer1MOutput())
                : " (not in the catalog: costs unknown)";
        String why = strong
                ? "cheapest model in play strong at " + c.intent() + cost
                : "no model in play lists " + c.intent() + " as a strength: the most capable one";
        return new Decision(prompt, c, t, why);
    }

    /** The model a request of this intent goes to. */
    public Target choose(Intent intent) {
        return inPlay.stream()
                .filter(t -> t.entry().strongAt(intent))
                .min(Comparator.comparingDouble(Router::price))
                .orElseGet(() -> inPlay.stream()
                        .max(Comparator.comparingDouble(Router::price))
                        .orElseThrow());
    }

    /**
     * What ranks models by cost: the catalog's prices; a model with unknown costs counts as the cheapest when it is
     * small and as the most expensive when it is large, so an unlisted small model takes the easy requests.
     */
    private static double price(Target t) {
        CatalogModel e = t.entry();
        if (e.costsKnown()) return e.costPer1MInput() + e.costPer1MOutput();
        double params = Double.isNaN(e.paramsB()) ? 0 : e.paramsB() / 1e6;
        return e.sizeClass().equals("slm") ? -1 + params : 1e12 + params;
    }
}
