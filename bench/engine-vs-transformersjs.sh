#!/usr/bin/env bash
# Engine vs bare ORT vs transformers.js, back to back in one run on the same fixture models.
#
#   bench/engine-vs-transformersjs.sh [reps] [model folders...]
#
# Prints EngineBench's table (our engine, our Decoder alone, a bare ORT Java loop; ORT and Java versions) and then
# bench/transformers-js/bench.mjs's table (transformers.js on onnxruntime-node). Both: 64 greedy tokens, time per
# token over the decode steps (prefill excluded), median over reps after 2 warm-up runs. Timings on a shared machine
# are noisy: compare within one run and repeat the run to see the spread.
# Env: JAVA_HOME (a JDK 21+; else java on PATH), MVN (default ./mvnw), EXTRA_JAVA_OPTS (e.g. -Dedgeai.engine.spinning=false).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
reps="${1:-25}"
if [ $# -gt 0 ]; then shift; fi
case "$reps" in ''|*[!0-9]*) echo "usage: $0 [reps] [model folders...]  (reps must be a number, got '$reps')" >&2; exit 2 ;; esac

folders=()
if [ $# -gt 0 ]; then
  for f in "$@"; do folders+=("$(cd "$f" && pwd)"); done
else
  m="$repo/testdata/models"
  folders=("$m/tiny-random-LlamaForCausalLM-fp16" "$m/tiny-random-gpt2-fp32" "$m/tiny-graph-capture-gqa")
fi

missing=()
command -v node >/dev/null 2>&1 || missing+=(node)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "error: ${missing[*]} not found on PATH. The transformers.js half of this comparison needs Node.js 18+ with npm" >&2
  echo "  (e.g. apt-get install nodejs npm, or https://nodejs.org). For the engine alone run EngineBench directly:" >&2
  echo "  . bench/classpath.sh && repo=. bench_classpath /tmp/cp.args && java @/tmp/cp.args dev.edgeai.engine.EngineBench $reps" >&2
  exit 3
fi
. "$repo/tools/jdk.sh"
edgeai_pick_jdk
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null 2>&1; then echo "error: no java found (set JAVA_HOME to a JDK 21+)" >&2; exit 3; fi
mvn="${MVN:-$repo/mvnw}"
if ! command -v "$mvn" >/dev/null 2>&1; then echo "error: $mvn not found on PATH (Maven builds the engine)" >&2; exit 3; fi

# transformers.js, pinned in bench/transformers-js/package.json (+ package-lock.json). onnxruntime-node's postinstall
# would fetch optional CUDA binaries from api.nuget.org; the CPU build is inside the npm package, so skip that.
tfjs="$here/transformers-js"
if [ ! -d "$tfjs/node_modules/@huggingface/transformers" ]; then
  echo "installing transformers.js into $tfjs/node_modules (once) ..." >&2
  if ! (cd "$tfjs" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error >&2); then
    echo "error: npm ci failed in $tfjs (see above); is the npm registry reachable?" >&2
    exit 4
  fi
fi

cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
echo "building the engine ..." >&2
. "$repo/bench/classpath.sh"
bench_classpath "$cp_file"

echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(nproc 2>/dev/null || echo '?') cores, load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo
engine_out="$(mktemp)"; node_out="$(mktemp)"
trap 'rm -f "$cp_file" "$engine_out" "$node_out"' EXIT
echo "### Engine (Java)"
(cd "$repo" && OPT_OUT_TRACKING=true "$java" ${EXTRA_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED \
    @"$cp_file" dev.edgeai.engine.EngineBench "$reps" "${folders[@]}" 2> >(grep -v 'WARN\|INFO\|^WARNING' >&2)) | tee "$engine_out"
echo
echo "### transformers.js (Node)"
node "$tfjs/bench.mjs" --reps "$reps" "${folders[@]}" | tee "$node_out"
echo
echo "### Side by side (medians from the two tables above)"
ort_java="$(sed -n 's/^EngineBench: ONNX Runtime \([^ ]*\).*/\1/p' "$engine_out")"
ort_node="$(sed -n 's/.*onnxruntime-node \([^,]*\),.*/\1/p' "$node_out")"
echo
echo "| model | engine tok/s | bare ORT tok/s | engine/bare median (p10–p90) | decoder-only tok/s | transformers.js tok/s | ORT: engine / transformers.js |"
echo "|---|---|---|---|---|---|---|"
# EngineBench row: | model | engine tok/s | engine µs | decoder µs | bare tok/s | bare µs | ratio | p10–p90 | overhead | same |
# bench.mjs row:   | model | tok/s (or "cannot run: ...") | µs | ... |
awk -F' *\\| *' -v oj="$ort_java" -v on="$ort_node" '
  FNR == NR { if ($2 != "" && $2 != "model" && $2 !~ /^-/ && NF >= 7) tf[$2] = $3; next }
  $2 != "" && $2 != "model" && $2 !~ /^-/ && NF > 10 {
    t = ($2 in tf) ? tf[$2] : "not run"; if (t ~ /^cannot run/) t = "cannot load"
    printf "| %s | %s | %s | %s (%s) | %.0f | %s | %s / %s |\n", $2, $3, $6, $8, $9, 1e6 / $5, t, oj, on
  }' "$node_out" "$engine_out"
