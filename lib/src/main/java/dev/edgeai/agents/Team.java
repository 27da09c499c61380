package dev.edgeai.agents;

import dev.edgeai.chat.ModelInfo;
import dev.edgeai.chat.ModelResolver;
import java.util.List;

/** The four roles of the orchestrated flow. */
public record Team(Role planner, Role researcher, Role writer, Role reviewer) {

    public static final String PLANNER_PROMPT = """
            You are the planner of a small team of AI agents. Split the user's task into at most %d short \
            sub-questions that a researcher can look up in technical notes. Reply with a numbered list only, \
            one sub-question per line, no other text.""";
    public static final String RESEARCHER_PROMPT = """
            You are a researcher. Answer the sub-question in 2-4 factual sentences using ONLY the numbered context \
            passages; cite them as [1], [2]. If the context does not answer it, say so in one sentence.""";
    public static final String WRITER_PROMPT = """
            You are a technical writer. Write a clear, correct answer to the task for workshop attendees, using \
            the research notes. Keep citations like [1]. At most 150 words. If reviewer feedback is given, revise \
            the previous draft to address it.""";
    public static final String REVIEWER_PROMPT = """
            You are a strict reviewer. Check the draft against the task and the research notes: is it correct, \
            complete and grounded in the notes? Reply with APPROVED on the first line if it is, otherwise \
            REVISE: followed by the concrete changes needed, in at most three lines.""";

    /**
     * The workshop's split: the large model plans and reviews (judgement), the small one does the bulk work of
     * researching and writing, where most tokens are spent.
     */
    public static Team of(String slm, String llm, int maxSubtasks, int maxTokens, double temperature) {
        return new Team(
                new Role("planner", llm, PLANNER_PROMPT.formatted(maxSubtasks), maxTokens, temperature),
                new Role("researcher", slm, RESEARCHER_PROMPT, maxTokens, temperature),
                new Role("writer", slm, WRITER_PROMPT, maxTokens, temperature),
                new Role("reviewer", llm, REVIEWER_PROMPT, maxTokens, temperature));
    }

    /** Every role with this sampling seed (null: none). */
    public Team withSeed(Long seed) {
        return new Team(
                planner.withSeed(seed), researcher.withSeed(seed), writer.withSeed(seed), reviewer.withSeed(seed));
    }

    public List<Role> roles() {
        return List.of(planner, researcher, writer, reviewer);
    }

    /** Each role's model resolved to an id the backend lists (aliases like "phi-4-mini"); unknown models fail here, before any step. */
    public Team resolve(List<ModelInfo> available) {
        return new Team(
                resolve(planner, available),
                resolve(researcher, available),
                resolve(writer, available),
                resolve(reviewer, available));
    }

    private static Role resolve(Role r, List<ModelInfo> available) {
        return r.withModel(ModelResolver.resolve(r.model(), available));
    }
}
