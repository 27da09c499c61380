/**
 * The RAG answer flow shared by the chat app (rag_chat), the evaluation's RAG-escalation pipeline and the agents'
 * researcher: retrieve → build the grounded prompt → stream → escalate to the larger model when a check says so.
 * Retrieval itself lives in {@link dev.edgeai.retrieval}; what counts as a reason to escalate is the caller's
 * ({@link dev.edgeai.eval.EscalationRule} in the kit).
 *
 * <pre>{@code
 * var flow = new RagFlow(new Recorder(backend), retriever::search, RagFlow.Options.defaults());
 * RagFlow.Answer a = flow.answer(RagFlow.Ask.of("What does TTFT measure?", "phi-4-mini"), RagFlow.Events.NONE);
 * }</pre>
 */
package dev.edgeai.rag;
