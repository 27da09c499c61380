#!/usr/bin/env bash
# Real-size speed of the embedded engine: random-weight models with Qwen2.5-0.5B-Instruct's shapes (int4 MatMulNBits
# at accuracy_level 0 as onnx-community's files leave it, and 4; the GQA share-buffer twin; fp32), every comparison in
# one run against its baseline, interleaved rep by rep:
#   decode   engine (as it opens a file: int4 at accuracy level 4) vs a bare ORT Java loop on the unmodified file vs
#            transformers.js on it, prefill and decode at 128 and 1024 prompt tokens, each against the copy-bandwidth
#            bound measured in the same run (RealSizeBench)
#   load     load time and peak RSS of a fresh JVM, the level-0 file raised to 4 vs kept (LoadBench)
#   quality  teacher-forced logits, level 0 vs 4, on 300 positions of data/docs text (AccuracyLevelCheck)
#   reuse    next-turn time to first token of a ~1,000-token conversation with and without the prefix cache
#   serve    serve.java with 4 concurrent streamed requests vs 1, batched and with batching off (ServeBatchBench)
#   knobs    the engine's threads/spinning/optLevel settings on the int4 model
#
#   bench/realsize.sh [models dir]        # default /tmp/edgeai-bench-models; generated there (≈5 GB) when missing
#
# Env: PARTS (decode,load,quality,reuse,serve,knobs), REPS (3), TOKENS (32), PROMPTS (128,1024), THREADS (ORT
# default = cores), TFJS (1: transformers.js in the decode part), JAVA_HOME, MVN. Needs /usr/bin/python3 with
# python3-onnx + python3-numpy (model generation), node + npm (transformers.js).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
models="${1:-/tmp/edgeai-bench-models}"
reps="${REPS:-3}"; tokens="${TOKENS:-32}"; prompts="${PROMPTS:-128,1024}"; threads="${THREADS:-}"
parts=",${PARTS:-decode,load,quality,reuse,serve,knobs},"
py=/usr/bin/python3; [ -x "$py" ] || py=python3

folders=(qwen2.5-0.5b-shape-q4-acc0 qwen2.5-0.5b-shape-q4-acc4 qwen2.5-0.5b-shape-genai-q4-acc4 qwen2.5-0.5b-shape-fp32)
for f in "${folders[@]}"; do
  if ! grep -q streams_text "$models/$f/bench_info.json" 2>/dev/null; then   # missing, or made before the lm_head bias
    echo "generating the real-size models into $models (once, a few minutes) ..." >&2
    "$py" "$repo/tools/fixtures/make_fixtures.py" --bench "$models" --dtypes int4,fp32 --acc-levels 4,0 >&2
    break
  fi
done
paths=(); for f in "${folders[@]}"; do paths+=("$models/$f"); done
acc0="$models/qwen2.5-0.5b-shape-q4-acc0"; acc4="$models/qwen2.5-0.5b-shape-q4-acc4"

. "$repo/tools/jdk.sh"
edgeai_pick_jdk
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cp_file="$(mktemp)"; trap 'rm -f "$cp_file"' EXIT
echo "building the engine ..." >&2
. "$repo/bench/classpath.sh"
bench_classpath "$cp_file"
run_java() {   # run_java "<JVM options>" <main class> <arguments...>
  local jopts="$1"; shift
  (cd "$repo" && OPT_OUT_TRACKING=true "$java" -Xmx8g --enable-native-access=ALL-UNNAMED \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${threads:+-Dedgeai.engine.threads=$threads} $jopts \
      @"$cp_file" "$@" 2> >(grep -v 'WARN\|INFO\|^WARNING' >&2))
}
has() { [[ "$parts" == *",$1,"* ]]; }

echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

if has decode; then
  tfjs=()
  if [ "${TFJS:-1}" = 1 ]; then
    if [ ! -d "$here/transformers-js/node_modules/@huggingface/transformers" ]; then
      (cd "$here/transformers-js" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
    tfjs=(--tfjs "$here/transformers-js/realsize.mjs")
  fi
  echo; echo "### Decode and prefill: engine vs bare ORT loop vs transformers.js (same files, interleaved)"
  run_java "" dev.edgeai.engine.RealSizeBench --reps "$reps" --tokens "$tokens" --prompts "$prompts" "${tfjs[@]}" "${paths[@]}"
fi

if has load; then
  echo; echo "### Load time and peak RSS (fresh JVM each), $(basename "$acc0"): raised to level 4 vs kept at 0"
  for ((r = 0; r < reps; r++)); do
    for setting in 4 keep; do run_java "-Dedgeai.engine.accuracyLevel=$setting" dev.edgeai.engine.LoadBench "$acc0"; done
  done
  echo "extra disk: none (the rewritten graph lives in memory and names the original file for its weights)"
fi

if has quality; then
  echo; echo "### Quality: accuracy level 0 vs 4, teacher-forced"
  run_java "" dev.edgeai.engine.AccuracyLevelCheck "$acc0" "$acc4"
fi

if has reuse; then
  echo; echo "### Prefix reuse: next turn of a ~1,000-token conversation"
  run_java "" dev.edgeai.engine.PrefixReuseBench --reps "$((reps + 2))" --tokens 1000 "$acc0"
fi

if has serve; then
  echo; echo "### serve.java: 4 concurrent streamed requests vs 1"
  run_java "" dev.edgeai.engine.ServeBatchBench --reps "$((reps + 2))" --tokens 64 --clients 4 "$acc0"
fi

if has knobs; then
  echo; echo "### Engine knobs on $(basename "$acc0") (level 4), prompt 128 (one JVM per setting)"
  for opts in "-Dedgeai.engine.threads=1" "-Dedgeai.engine.threads=2" "-Dedgeai.engine.spinning=false" \
              "-Dedgeai.engine.optLevel=basic" "-Dedgeai.engine.optLevel=extended"; do
    echo; echo "#### $opts"
    run_java "$opts" dev.edgeai.engine.RealSizeBench --reps "$reps" --tokens "$tokens" --prompts 128 --bare false "$acc0" \
        | grep -E '^\| .*engine|copy bandwidth'
  done
fi
