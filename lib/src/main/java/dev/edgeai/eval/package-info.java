/**
 * Which model for which job: a QA set about the workshop documents ({@link dev.edgeai.eval.QaSet}), deterministic
 * answer scores ({@link dev.edgeai.eval.Scoring}), an optional LLM judge with a strict JSON rubric
 * ({@link dev.edgeai.eval.Judge}), cost emulation ({@link dev.edgeai.eval.Costs}), the memory and CPU of the process
 * that serves a model ({@link dev.edgeai.eval.ServingProcess}), and the pipelines that combine a small and a large
 * model ({@link dev.edgeai.eval.Pipelines}), all run by {@link dev.edgeai.eval.Evaluator} into one results file.
 */
package dev.edgeai.eval;
