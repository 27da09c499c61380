#!/usr/bin/env bash
# Real-size throughput against the memory-bandwidth bound: random-weight models with Qwen2.5-0.5B-Instruct's shapes
# (int4 MatMulNBits at accuracy_level 4 and 0, its GQA share-buffer twin, fp32), prefill and decode at 128 and 1024
# prompt tokens, for our engine, a bare ORT Java loop and transformers.js, each decode figure as a fraction of
# bandwidth / bytes read per token (bandwidth from a Java copy benchmark in the same run). Then a sweep of the engine's
# knobs (threads, spinning, graph optimization level) on the int4 model.
#
#   bench/realsize.sh [models dir]        # default /tmp/edgeai-bench-models; generated there (≈6 GB) when missing
#
# Env: REPS (3), TOKENS (32), PROMPTS (128,1024), THREADS (ORT default = cores), KNOBS (1: run the sweep),
# TFJS (1: run transformers.js), JAVA_HOME, MVN. Needs /usr/bin/python3 with python3-onnx + python3-numpy, node + npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
models="${1:-/tmp/edgeai-bench-models}"
reps="${REPS:-3}"; tokens="${TOKENS:-32}"; prompts="${PROMPTS:-128,1024}"; threads="${THREADS:-}"
py=/usr/bin/python3; [ -x "$py" ] || py=python3

folders=(qwen2.5-0.5b-shape-q4-acc4 qwen2.5-0.5b-shape-q4-acc0 qwen2.5-0.5b-shape-genai-q4-acc4 qwen2.5-0.5b-shape-fp32)
for f in "${folders[@]}"; do
  if ! grep -q streams_text "$models/$f/bench_info.json" 2>/dev/null; then   # missing, or made before the lm_head bias
    echo "generating the real-size models into $models (once, a few minutes) ..." >&2
    "$py" "$repo/tools/fixtures/make_fixtures.py" --bench "$models" --dtypes int4,fp32 --acc-levels 4,0 >&2
    break
  fi
done
paths=(); for f in "${folders[@]}"; do paths+=("$models/$f"); done

. "$repo/tools/jdk.sh"
edgeai_pick_jdk
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn="${MVN:-$repo/mvnw}"
cp_file="$(mktemp)"; trap 'rm -f "$cp_file"' EXIT
echo "building the engine ..." >&2
. "$repo/bench/classpath.sh"
bench_classpath "$cp_file"
run_java() {   # run_java "<JVM options>" <RealSizeBench arguments...>
  local jopts="$1"; shift
  (cd "$repo" && OPT_OUT_TRACKING=true "$java" -Xmx8g --enable-native-access=ALL-UNNAMED ${threads:+-Dedgeai.engine.threads=$threads} $jopts \
      @"$cp_file" dev.edgeai.engine.RealSizeBench --reps "$reps" --tokens "$tokens" "$@" 2> >(grep -v 'WARN\|INFO\|^WARNING' >&2))
}

echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo; echo "### Engine and bare ORT loop (Java)"
run_java "" --prompts "$prompts" "${paths[@]}"

if [ "${TFJS:-1}" = 1 ]; then
  tfjs="$here/transformers-js"
  if [ ! -d "$tfjs/node_modules/@huggingface/transformers" ]; then
    (cd "$tfjs" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  echo; echo "### transformers.js (same files, same threads)"
  node "$tfjs/realsize.mjs" --prompts "$prompts" --tokens "$tokens" --reps "$reps" --threads "${threads:-$(nproc)}" \
      "$models/qwen2.5-0.5b-shape-q4-acc4" "$models/qwen2.5-0.5b-shape-q4-acc0" "$models/qwen2.5-0.5b-shape-fp32"
fi

if [ "${KNOBS:-1}" = 1 ]; then
  echo; echo "### Engine knobs on qwen2.5-0.5b-shape-q4-acc4, prompt 128 (one JVM per setting)"
  for opts in "-Dedgeai.engine.threads=1" "-Dedgeai.engine.threads=2" "-Dedgeai.engine.spinning=false" \
              "-Dedgeai.engine.optLevel=basic" "-Dedgeai.engine.optLevel=extended"; do
    echo; echo "#### $opts"
    run_java "$opts" --prompts 128 --bare false "$models/qwen2.5-0.5b-shape-q4-acc4" | grep -E '^\| .*engine|copy bandwidth'
  done
fi
