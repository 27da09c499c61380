#!/usr/bin/env bash
# The ONNX Runtime Java version, chosen by evidence: the same probe (OrtVersionProbe: engine decode on a real-size
# int4 file at accuracy levels 4 and 0, 4 rows batched at level 4, and the fp16 Llama fixture) with each version's jar on the class path, one
# JVM per version and rep, versions rotated within each rep; prints every line, then the median per version.
#
#   bench/ort-versions.sh [models dir]     # default /tmp/edgeai-bench-models (bench/realsize.sh generates it)
#
# Env: VERSIONS (1.23.2,1.24.2,1.26.0,1.28.0,1.29.0), REPS (3), EDGEAI_M2_REPO, JAVA_HOME. Each version is fetched
# from Maven Central once (dependency:get). The class path goes in an @argfile: ORT 1.29 crashes on long command lines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
models="${1:-/tmp/edgeai-bench-models}"
versions="${VERSIONS:-1.23.2,1.24.2,1.26.0,1.28.0,1.29.0}"; reps="${REPS:-3}"
[ -f "$models/qwen2.5-0.5b-shape-q4-acc0/bench_info.json" ] || { echo "error: run bench/realsize.sh once first (it generates $models)" >&2; exit 3; }
. "$repo/tools/jdk.sh"
edgeai_pick_jdk
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn="${MVN:-$repo/mvnw}"
m2="${EDGEAI_M2_REPO:-$HOME/.m2/repository}"
cp_file="$(mktemp)"; out="$(mktemp)"; trap 'rm -f "$cp_file" "$cp_file".* "$out"' EXIT
. "$repo/bench/classpath.sh"
bench_classpath "$cp_file"
pinned="$(sed -n 's#.*\(com/microsoft/onnxruntime/onnxruntime/\([^/]*\)/onnxruntime-[^/:]*\.jar\).*#\2#p' "$cp_file")"
IFS=, read -r -a vs <<<"$versions"
for v in "${vs[@]}"; do
  jar="$m2/com/microsoft/onnxruntime/onnxruntime/$v/onnxruntime-$v.jar"
  [ -f "$jar" ] || "$mvn" -q -B -Dmaven.repo.local="$m2" dependency:get -Dartifact="com.microsoft.onnxruntime:onnxruntime:$v" -Dtransitive=false >&2
  sed "s#onnxruntime/$pinned/onnxruntime-$pinned.jar#onnxruntime/$v/onnxruntime-$v.jar#" "$cp_file" >"$cp_file.$v"
done
echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); pinned $pinned"
for ((r = 0; r < reps; r++)); do
  for ((k = 0; k < ${#vs[@]}; k++)); do
    v="${vs[$(((k + r) % ${#vs[@]}))]}"
    (cd "$repo" && OPT_OUT_TRACKING=true "$java" -Xmx8g --enable-native-access=ALL-UNNAMED @"$cp_file.$v" \
        dev.edgeai.engine.OrtVersionProbe "$models/qwen2.5-0.5b-shape-q4-acc0" 2>/dev/null \
        | sed "s/\$/ load=$(cut -d' ' -f1 /proc/loadavg)/") | tee -a "$out"
  done
done
echo
echo "| ORT | level-4 decode tok/s | 4 rows batched, aggregate tok/s | level-0 decode tok/s | level-4 prefill tok/s | fp16 fixture decode tok/s |"
echo "|---|---|---|---|---|---|"
for v in "${vs[@]}"; do
  grep "^ort=$v " "$out" | awk -v v="$v" '
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); x[kv[1], NR] = kv[2] } n = NR }
    END { for (i = 1; i <= n; i++) { a[i] = x["level4_decode", i]; e[i] = x["level4_batch4_decode", i]; b[i] = x["level0_decode", i]
                                     c[i] = x["level4_prefill", i]; d[i] = x["fp16_fixture_decode", i] }
          printf "| %s | %.1f | %.1f | %.1f | %.0f | %.0f |\n", v, med(a, n), med(e, n), med(b, n), med(c, n), med(d, n) }'
done
