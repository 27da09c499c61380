/**
 * Retrieval for RAG: load a folder of .md/.txt files, chunk them, rank chunks with BM25, MiniLM embeddings or
 * both, and format the hits as a numbered, citable prompt context.
 *
 * <pre>{@code
 * Retriever docs = Retriever.open(Path.of("data/docs"));            // cached in data/docs/.index
 * System.err.println(docs.status().message());                       // "index cache up to date ..." or "rebuilt ..."
 * SearchResult r = docs.search("What does TTFT measure?");           // HYBRID, top 4, cosine >= 0.30 or >= 60% of keywords
 * if (r.noRelevantContext()) { ... answer "I don't know" or fall back to the bare model ... }
 * messages = [system: ContextBuilder.SYSTEM_PROMPT, user: ContextBuilder.userMessage(question, r)]
 * List<Citation> used = Citation.citedIn(answer, r.citations());     // [n] in the answer -> file + offsets
 * docs.addDocument("uploads/notes.md", text);                        // an upload, searchable at once
 * }</pre>
 *
 * Lower-level pieces ({@link dev.edgeai.retrieval.Chunker}, {@link dev.edgeai.retrieval.Bm25Index},
 * {@link dev.edgeai.retrieval.DenseIndex}, {@link dev.edgeai.retrieval.HybridRetriever}) are public for notebooks
 * that want to show each step.
 */
package dev.edgeai.retrieval;
