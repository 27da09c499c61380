#!/usr/bin/env bash
# tools/run-notebooks.sh — executes the workshop notebooks headlessly with the Java kernel, as CI does.
#
#   tools/run-notebooks.sh                       # every notebooks/*.ipynb
#   tools/run-notebooks.sh notebooks/s00_kernel_check.ipynb ...
#
# Executed copies go to notebooks/executed/ (git-ignored); the clean notebooks are never written. Exit status 1 when
# any cell of any notebook errors (each failing notebook and cell is named), 2 on setup problems.
#
# Needs (Debian/Ubuntu, what CI installs; use Debian's own /usr/bin/python3, not a pyenv/venv one without them):
#     apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel
# plus a JDK 21+ and the kernel: tools/install-kernel.sh (run here automatically when the `java` kernel is missing),
# and the lib in ~/.m2: ./mvnw -pl lib -am install -DskipTests (or ./jbang --help).
# Override the interpreter with PYTHON=..., the per-cell timeout (s) with NB_TIMEOUT=..., the kernel with NB_KERNEL=.
#
# CI recipe (timings measured on the 2-core workshop build machine, Debian 12, Temurin 25, Nov 2026):
#   sudo apt-get install -y --no-install-recommends jupyter-client python3-ipykernel jupyter-nbconvert python3-nbclient
#                                                 # ~80 packages, well under 30 s (29 s here together with chromium)
#   ./mvnw -B -pl lib -am install -DskipTests     # the lib jar in ~/.m2 (part of the normal build anyway)
#   tools/install-kernel.sh                       # 9 s from an empty kernel cache, 0.3 s when nothing changed
#   /usr/bin/python3 tools/kernel_stress.py -n 100   # 203 s (2.0 s per start, median start 1.0 s); -n 20 ~ 40 s
#   tools/run-notebooks.sh                        # s00_kernel_check: 4 s (kernel start + 2 cells + shutdown)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
KERNEL="${NB_KERNEL:-java}"
TIMEOUT="${NB_TIMEOUT:-300}"
OUT="$ROOT/notebooks/executed"
LIB_JAR="${EDGEAI_M2_REPO:-$HOME/.m2/repository}/dev/edgeai/edgeai-lib/0.1.0/edgeai-lib-0.1.0.jar"

say() { echo "[run-notebooks] $*" >&2; }

if ! "$PY" -c 'import nbconvert, nbclient, jupyter_client' 2>/dev/null; then
  say "ERROR: $PY cannot import nbconvert/nbclient/jupyter_client. Install them:"
  say "    sudo apt install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel"
  say "    (or pip install nbconvert nbclient, and run with PYTHON=that-python)"
  exit 2
fi
if ! "$PY" -c "import sys; from jupyter_client.kernelspec import KernelSpecManager as K; K().get_kernel_spec(sys.argv[1])" \
     "$KERNEL" 2>/dev/null; then
  say "kernel '$KERNEL' is not installed; installing it with tools/install-kernel.sh ..."
  "$ROOT/tools/install-kernel.sh" --name "$KERNEL"
fi
if [ ! -f "$LIB_JAR" ]; then
  say "ERROR: $LIB_JAR is missing, so the notebooks cannot 'import dev.edgeai...'. Build it first:"
  say "    ./mvnw -pl lib -am install -DskipTests      (or ./jbang --help)"
  exit 2
fi

if [ $# -gt 0 ]; then notebooks=("$@"); else
  shopt -s nullglob
  notebooks=("$ROOT"/notebooks/*.ipynb)
fi
[ ${#notebooks[@]} -gt 0 ] || { say "no notebooks/*.ipynb found"; exit 0; }

mkdir -p "$OUT"
failed=()
t_all=$SECONDS
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb")"
  t0=$SECONDS
  log="$OUT/${name%.ipynb}.log"
  rm -f "$OUT/$name"
  # --allow-errors: keep executing and always write the executed copy, then report every failing cell below
  # (without it nbconvert writes nothing on the first error). A cell timeout still aborts the notebook.
  if ! "$PY" -m nbconvert --to notebook --execute --allow-errors \
        --ExecutePreprocessor.kernel_name="$KERNEL" --ExecutePreprocessor.timeout="$TIMEOUT" \
        --output-dir "$OUT" "$nb" >"$log" 2>&1; then
    say "FAILED: $nb — nbconvert aborted after $((SECONDS - t0)) s (kernel did not start, or a cell timed out). Log:"
    tail -n 40 "$log" | sed 's/^/    /' >&2
    failed+=("$nb")
    continue
  fi
  if ! "$PY" - "$OUT/$name" "$nb" <<'EOF'
import json, re, sys
executed, original = sys.argv[1], sys.argv[2]
ansi = re.compile(r"\x1b\[[0-9;]*m")
nb = json.load(open(executed))
bad = 0
code_no = 0
for idx, cell in enumerate(nb["cells"], 1):
    if cell["cell_type"] != "code":
        continue
    code_no += 1
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            bad += 1
            src = "".join(cell["source"]).strip().splitlines() or [""]
            tb = "\n".join(ansi.sub("", t) for t in out.get("traceback", []))
            print(f"[run-notebooks] FAILED: {original} cell {idx} (code cell {code_no}, "
                  f"execution_count {cell.get('execution_count')}): {out.get('ename')}: {out.get('evalue')}",
                  file=sys.stderr)
            print("    first line: " + src[0], file=sys.stderr)
            for line in tb.splitlines()[:15]:
                print("    | " + line, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
  then
    failed+=("$nb")
  else
    say "ok: $name ($((SECONDS - t0)) s) -> ${OUT#"$ROOT"/}/$name"
  fi
done

say "${#notebooks[@]} notebook(s), ${#failed[@]} failed, $((SECONDS - t_all)) s"
[ ${#failed[@]} -eq 0 ]
