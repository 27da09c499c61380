package dev.edgeai.agents;

import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.ChatResult;
import dev.edgeai.rag.RagFlow;
import dev.edgeai.retrieval.Hit;
import dev.edgeai.retrieval.Retriever;
import dev.edgeai.retrieval.SearchResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plan → research → write → review (→ write → review ...), each step a call to its role's model. The reviewer
 * may send the draft back at most {@code maxRounds - 1} times; after the last round the final draft is returned
 * marked as not accepted. A failed model call stops the flow and is reported in {@link AgentRun#error()} with
 * every step up to it, never swallowed.
 *
 * <pre>{@code
 * var team = Team.of("phi-4-mini", "gpt-oss-20b", 3, 256, 0.0);
 * AgentRun run = new Orchestrator(backend, team, Retriever.open(Path.of("data/docs")), Orchestrator.Options.defaults())
 *         .run("Explain TTFT and how to measure it", step -> System.err.println(AgentReport.line(step)));
 * }</pre>
 */
public final class Orchestrator {
    /** The task used when none is given: it needs the docs (latency, quantization) and has a checkable answer. */
    public static final String DEFAULT_TASK = "Write a short briefing for workshop attendees: how should they measure "
            + "the latency of a local language model (TTFT, TPOT, E2E), and how does int4 quantization change it?";

    /**
     * @param maxRounds   drafts the writer may produce (1 = no revision)
     * @param maxSubtasks sub-questions researched at most (the planner is asked for this many)
     * @param topK        retrieved passages per sub-question
     * @param contextChars passages are cut to this many characters in the researcher's prompt (0 = uncut)
     */
    public record Options(int maxRounds, int maxSubtasks, int topK, int contextChars) {
        public Options {
            if (maxRounds < 1) throw new IllegalArgumentException("max rounds must be >= 1, was " + maxRounds);
            if (maxSubtasks < 1) throw new IllegalArgumentException("max sub-tasks must be >= 1, was " + maxSubtasks);
            if (topK < 1) throw new IllegalArgumentException("top-k must be >= 1, was " + topK);
        }

        public static Options defaults() {
            return new Options(2, 3, 3, 600);
        }
    }

    private final ChatBackend backend;
    private final Team team;
    private final Retriever retriever;
    private final Options options;

    /** @param retriever the docs the researcher reads; null: it answers from the model's own knowledge (said in its step note) */
    public Orchestrator(ChatBackend backend, Team team, Retriever retriever, Options options) {
        this.backend = backend;
        this.team = team;
        this.retriever = retriever;
        this.options = options;
    }

    public AgentRun run(String task, Consumer<Step> onStep) {
        if (task == null || task.isBlank())
            throw new IllegalArgumentException("the task is empty: give a task or omit it for the default");
        Team t = team.resolve(backend.models());
        StepLog log = new StepLog(backend, onStep);
        List<String> subtasks = List.of(task);
        String draft = null;
        int rounds = 0;
        boolean accepted = false;
        try {
            ChatResult plan = log.call(t.planner(), 1, "Task: " + task, null);
            List<String> parsed = parsePlan(plan.text(), options.maxSubtasks());
            subtasks = parsed.isEmpty() ? List.of(task) : parsed;

            StringBuilder notes = new StringBuilder();
            for (int i = 0; i < subtasks.size(); i++) {
                String q = subtasks.get(i);
                ChatResult r = retriever == null
                        ? log.call(
                                t.researcher(),
                                1,
                                "Sub-question: " + q
                                        + "\n\n(no documents are available: answer briefly from general knowledge)",
                                "no retriever")
                        : research(log, t.researcher(), q);
                notes.append("Notes on \"")
                        .append(q)
                        .append("\":\n")
                        .append(r.text().strip())
                        .append("\n\n");
            }

            String feedback = null;
            while (rounds < options.maxRounds()) {
                rounds++;
                String writerInput = "Task: " + task + "\n\nResearch notes:\n" + notes
                        + (draft == null
                                ? ""
                                : "Previous draft:\n" + draft + "\n\nReviewer feedback: " + feedback + "\n");
                draft = log.call(
                                t.writer(),
                                rounds,
                                writerInput.strip(),
                                rounds == 1 ? null : "revision " + (rounds - 1))
                        .text()
                        .strip();
                String reviewInput = "Task: " + task + "\n\nResearch notes:\n" + notes + "Review the draft:\n" + draft;
                ChatResult review =
                        log.callNoted(t.reviewer(), rounds, reviewInput, r -> verdictNote(Verdict.parse(r.text())));
                Verdict v = Verdict.parse(review.text());
                if (v.accepted()) {
                    accepted = true;
                    break;
                }
                feedback = v.feedback();
            }
            return new AgentRun(task, subtasks, log.steps(), draft, accepted, rounds, options.maxRounds(), null);
        } catch (StepLog.StepFailedException e) {
            return new AgentRun(task, subtasks, log.steps(), draft, false, rounds, options.maxRounds(), e.getMessage());
        }
    }

    /** The researcher answers from passages retrieved for its sub-question (the kit's RAG flow, passages cut). */
    private ChatResult research(StepLog log, Role researcher, String question) {
        SearchResult found =
                retriever.search(question, retriever.options().search().mode(), options.topK());
        RagFlow flow = new RagFlow(
                log.recorder(),
                null,
                RagFlow.Options.defaults()
                        .withSystemPrompt(researcher.systemPrompt())
                        .withQuestionLabel("Sub-question")
                        .withContextChars(options.contextChars())
                        .withNoContext(RagFlow.NoContext.ASK_ANYWAY, null)
                        .withStages(researcher.name(), researcher.name()));
        RagFlow.Ask ask = RagFlow.Ask.of(question, researcher.model())
                .found(found)
                .generation(researcher.maxTokens(), researcher.temperature(), researcher.seed())
                .attribute(StepLog.NOTE, retrievalNote(found));
        try {
            return flow.answer(ask, RagFlow.Events.NONE).result();
        } catch (ChatException e) {
            throw log.failure(e);
        }
    }

    private static String verdictNote(Verdict v) {
        return v.accepted() ? "verdict: accepted" : "verdict: revise (" + oneLine(v.feedback(), 80) + ")";
    }

    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:\\d{1,2}[.):]|[-*•])\\s+(.+)$");

    /** The numbered or bulleted lines of the planner's answer, at most {@code max}; empty when it gave no list. */
    public static List<String> parsePlan(String text, int max) {
        LinkedHashSet<String> items = new LinkedHashSet<>();
        for (String line : (text == null ? "" : text).lines().toList()) {
            Matcher m = LIST_ITEM.matcher(line);
            if (m.matches()) {
                String item = m.group(1).replaceAll("\\*\\*", "").strip();
                if (!item.isEmpty()) items.add(item);
            }
            if (items.size() == max) break;
        }
        return List.copyOf(items);
    }

    private static String retrievalNote(SearchResult found) {
        if (found.noRelevantContext()) return String.format("retrieval: nothing relevant (%.1f ms)", found.tookMs());
        List<String> sources = found.hits().stream().map(Hit::source).distinct().toList();
        return String.format(
                "retrieval: %d passages in %.1f ms from %s",
                found.hits().size(), found.tookMs(), String.join(", ", sources));
    }

    static String oneLine(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > max ? one.substring(0, max - 1) + "…" : one;
    }
}
