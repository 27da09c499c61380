#!/usr/bin/env bash
# serve.java's cost: benchmark.java against serve.java vs the same engine called in-process, back to back in one run.
#
#   bench/serve-vs-embedded.sh [model folder] [requests] [max tokens] [concurrency levels]
#
# 1. starts ./jbang scripts/serve.java --port 0 --model FOLDER (its own JVM, like an attendee's first terminal);
# 2. twice, alternating: benchmark.java --embedded (the engine inside the benchmark's JVM, no HTTP) and
#    benchmark.java --endpoint (the same model through serve.java), concurrency 1, and prints
#    `benchmark.java --compare direct served` for each pair (ratio served/direct of TTFT, TPOT, E2E p50, decode t/s);
# 3. sweeps concurrency (default 1,4,16,32) against serve.java: throughput, p99 TTFT, errors (none below the queue
#    bound of 64).
# Default model: the Llama fp16 fixture (random weights, ~0.1 ms per token, so per-token HTTP costs show up at their
# largest). Results files go to $OUT (default: a temp folder). Timings on a shared machine are noisy: compare within
# one run, and repeat the run to see the spread.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
model="$(cd "${1:-$repo/testdata/models/tiny-random-LlamaForCausalLM-fp16}" && pwd)"
n="${2:-40}"
tokens="${3:-64}"
levels="${4:-1,4,16,32}"
id="$(basename "$model")"
out="${OUT:-$(mktemp -d -t serve-bench.XXXXXX)}"
mkdir -p "$out"
cd "$repo"
export EDGEAI_QUIET=1

./jbang scripts/serve.java --port 0 --model "$model" --max-queue 64 >"$out/serve.out" 2>"$out/serve.err" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 600); do
  url="$(grep -o 'http://[0-9.:]*/v1' "$out/serve.out" 2>/dev/null | head -1 || true)"
  [ -n "$url" ] && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$url" ]; then echo "error: serve.java did not start; its stderr:" >&2; cat "$out/serve.err" >&2; exit 1; fi
echo "serve.java at $url serving $id; results in $out" >&2

bench() { ./jbang scripts/benchmark.java --prompt "Write a short story about a robot who learns to paint." \
  --requests "$n" --max-tokens "$tokens" --warmup 3 --no-progress "$@" >/dev/null; }
latest() { ls -t "$1"/benchmark-*.json | head -1; }

for rep in 1 2; do
  bench --embedded --models "$model" --out "$out/direct$rep"
  bench --endpoint "$url" --models "$id" --out "$out/served$rep"
  echo "## concurrency 1, pair $rep: served / direct" 
  ./jbang scripts/benchmark.java --compare "$(latest "$out/direct$rep")" "$(latest "$out/served$rep")" --threshold 0.05 || true
  echo
done

echo "## concurrency sweep against serve.java ($((n > 64 ? n : 64)) requests per level)"
./jbang scripts/benchmark.java --endpoint "$url" --models "$id" --prompt "Write a short story about a robot who learns to paint." \
  --requests "$((n > 64 ? n : 64))" --max-tokens "$tokens" --warmup 3 --concurrency "$levels" --no-progress --out "$out/sweep"
