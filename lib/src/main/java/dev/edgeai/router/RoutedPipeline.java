package dev.edgeai.router;

import dev.edgeai.agents.AgentRun;
import dev.edgeai.agents.Orchestrator;
import dev.edgeai.agents.Role;
import dev.edgeai.agents.Step;
import dev.edgeai.agents.StepLog;
import dev.edgeai.agents.Verdict;
import dev.edgeai.chat.ChatBackend;
import dev.edgeai.chat.ChatResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plan → execute → review where every step goes to the model the router picks for it: the plan and the review by
 * the task's intent, each planned step by its own (a "summarize the findings" step can run on the small model while
 * "estimate the cost" goes to the large one). Each step's note is the router's explanation.
 */
public final class RoutedPipeline {
    static final String PLAN =
            "Break the user's task into at most %d concrete steps. Reply with a numbered list only, one step per line.";
    static final String EXECUTE = "You carry out one step of a larger task. Do only this step, briefly and concretely.";
    static final String REVIEW =
            "You review the result of a task. Reply APPROVED on the first line if the steps' results answer the task; "
                    + "otherwise REVISE: and what is missing, in at most three lines.";

    private final ChatBackend backend;
    private final Router router;
    private final int maxSteps;
    private final int maxTokens;
    private final double temperature;
    private final Long seed;

    /** Greedy, no seed. */
    public RoutedPipeline(ChatBackend backend, Router router, int maxSteps, int maxTokens) {
        this(backend, router, maxSteps, maxTokens, 0.0, null);
    }

    public RoutedPipeline(
            ChatBackend backend, Router router, int maxSteps, int maxTokens, double temperature, Long seed) {
        if (maxSteps < 1) throw new IllegalArgumentException("max steps must be >= 1, was " + maxSteps);
        this.backend = backend;
        this.router = router;
        this.maxSteps = maxSteps;
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.seed = seed;
    }

    /** Runs the pipeline; a failed step ends it with {@link AgentRun#error()} set, the steps before it kept. */
    public AgentRun run(String task, Consumer<Step> onStep) {
        if (task == null || task.isBlank()) throw new IllegalArgumentException("the task is empty");
        StepLog log = new StepLog(backend, onStep);
        Router.Decision taskRoute = router.route(task);
        List<String> steps = List.of(task);
        String answer = null;
        try {
            ChatResult plan =
                    log.call(role("planner", taskRoute, PLAN.formatted(maxSteps)), 1, "Task: " + task, note(taskRoute));
            List<String> parsed = Orchestrator.parsePlan(plan.text(), maxSteps);
            steps = parsed.isEmpty() ? List.of(task) : parsed;
            StringBuilder done = new StringBuilder();
            List<String> results = new ArrayList<>();
            for (String s : steps) {
                Router.Decision d = router.route(s);
                String user = "Overall task: " + task + (done.isEmpty() ? "" : "\n\nDone so far:\n" + done)
                        + "\n\nNow do this step: " + s;
                String out = log.call(role("executor", d, EXECUTE), 1, user, note(d))
                        .text()
                        .strip();
                results.add(out);
                done.append("- ").append(s).append(": ").append(out).append('\n');
            }
            answer = String.join("\n\n", results);
            ChatResult review = log.call(
                    role("reviewer", taskRoute, REVIEW),
                    1,
                    "Task: " + task + "\n\nResults of the steps:\n" + done,
                    note(taskRoute));
            Verdict v = Verdict.parse(review.text());
            return new AgentRun(task, steps, log.steps(), answer, v.accepted(), 1, 1, null);
        } catch (StepLog.StepFailedException e) {
            return new AgentRun(task, steps, log.steps(), answer, false, 1, 1, e.getMessage());
        }
    }

    private Role role(String name, Router.Decision d, String system) {
        return new Role(name, d.target().name(), system, maxTokens, temperature, seed);
    }

    private static String note(Router.Decision d) {
        return "routed: " + d.intent() + " via "
                + d.classification().method().name().toLowerCase() + " → "
                + d.target().entry().sizeClass() + " ("
                + IntentClassifier.clip(d.classification().reason(), 70) + ")";
    }
}
