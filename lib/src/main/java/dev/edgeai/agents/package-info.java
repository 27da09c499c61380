/**
 * Session 5: several role-specialised agents coordinated by a small orchestrator over one {@link dev.edgeai.chat.ChatBackend}.
 * A planner splits the task, a researcher answers each part from the docs (retrieval), a writer drafts, a reviewer
 * accepts or sends the draft back for a bounded number of rounds. Every model call is one {@link dev.edgeai.agents.Step}
 * with its model, tokens, TTFT and E2E, so attendees see what each agent costs. Tool calls are not used: the flow
 * runs on any OpenAI-compatible server (retrieval happens in Java before the researcher is asked).
 */
package dev.edgeai.agents;
