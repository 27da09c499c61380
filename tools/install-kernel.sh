#!/usr/bin/env bash
# tools/install-kernel.sh — one command that installs the workshop's Java kernel for Jupyter (kernelspec `java`).
#
#   tools/install-kernel.sh                 # into the user's Jupyter data dir (`jupyter --data-dir`/kernels/java)
#   tools/install-kernel.sh --prefix DIR    # into DIR/share/jupyter/kernels/java (a venv/conda prefix, CI, ...)
#   EDGEAI_KERNEL_DIR=DIR tools/install-kernel.sh   # exactly into DIR (kernel.json is written there)
#   tools/install-kernel.sh --name java-dev --display-name "Java (dev)"  # another name, side by side
#   EDGEAI_JUPYTER=/path/to/jupyter tools/install-kernel.sh              # which jupyter decides the data dir
#
# What it does (idempotent; rerun it after `git pull`, it is quick when nothing changed):
#   1. picks a JDK >= 21 (tools/jdk.sh, shared with ./jbang);
#   2. resolves io.github.padreati:rapaio-jupyter-kernel:3.0.1 (a self-contained, shaded jar) from Maven Central
#      through ./mvnw into ~/.cache/edgeai/rjk-3.0.1/ (honours your Maven settings/mirrors);
#   3. compiles our start-up race fix (tools/kernel/src: replacement classes for two rapaio classes, MIT, see the
#      headers) against that jar and puts it FIRST on the kernel's classpath;
#   4. computes the runtime classpath of lib/ (dev.edgeai:edgeai-lib:0.1.0 and its dependencies: no server, CLI
#      framework or test code) so notebooks can
#      `import dev.edgeai....` without any %magic;
#   5. writes the kernelspec: kernel.json + kernel.sh (the launcher; it also tells you when the lib jar is missing).
#
# Requirements: a JDK 21+, and Jupyter. Debian/Ubuntu (what CI installs, all from the distro):
#     apt-get install -y --no-install-recommends jupyter-client python3-ipykernel jupyter-nbconvert python3-nbclient
#   (+ jupyter-notebook for an interactive UI). With pip instead: pip install notebook nbconvert nbclient
#   (or pip install jupyterlab).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RJK_VERSION="3.0.1"
LIB_VERSION="0.1.0"
CACHE="${EDGEAI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/edgeai}/rjk-$RJK_VERSION"
M2_REPO="${EDGEAI_M2_REPO:-$HOME/.m2/repository}"
LIB_JAR="$M2_REPO/dev/edgeai/edgeai-lib/$LIB_VERSION/edgeai-lib-$LIB_VERSION.jar"
NAME="java"
DISPLAY_NAME="Java (edgeai)"
PREFIX=""
KDIR="${EDGEAI_KERNEL_DIR:-}"

say() { echo "[install-kernel] $*" >&2; }
mvnq() { # ./mvnw, quiet, without the JDK 24+ sun.misc.Unsafe warnings Maven's guice prints
  "$ROOT/mvnw" -q -B ${EDGEAI_M2_REPO:+-Dmaven.repo.local="$EDGEAI_M2_REPO"} "$@" 2> >(grep -v -e '^WARNING: .*sun\.misc\.Unsafe' -e '^WARNING: Please consider reporting' \
                                   -e '^WARNING: A terminally deprecated' >&2) >&2
}
die() { echo "[install-kernel] ERROR: $1" >&2; exit "${2:-1}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --user) PREFIX=""; KDIR="" ;;
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift ;;
    --prefix=*) PREFIX="${1#--prefix=}" ;;
    --name) NAME="${2:?}"; shift ;;
    --display-name) DISPLAY_NAME="${2:?}"; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" 2 ;;
  esac
  shift
done

# ---- Jupyter -------------------------------------------------------------------------------------------------------
find_jupyter() {
  # Prefer a `jupyter` that can actually run (the pyenv shim on PATH may point at an interpreter without it).
  local j cands
  if [ -n "${EDGEAI_JUPYTER:-}" ]; then cands=("$EDGEAI_JUPYTER"); else cands=($(type -ap jupyter) /usr/bin/jupyter); fi
  for j in "${cands[@]}"; do
    if [ -x "$j" ] && "$j" --data-dir >/dev/null 2>&1; then echo "$j"; return 0; fi
  done
  return 1
}
if [ -z "$KDIR" ]; then
  if [ -n "$PREFIX" ]; then
    KDIR="$PREFIX/share/jupyter/kernels/$NAME"
  else
    if ! JUPYTER=$(find_jupyter); then
      cat >&2 <<'EOF'
[install-kernel] ERROR: no working `jupyter` found. Install Jupyter first, then rerun this script:
    Debian/Ubuntu:  sudo apt install jupyter-notebook jupyter-nbconvert python3-nbclient
    pip:            pip install notebook nbconvert nbclient      (or: pip install jupyterlab)
  (To only write the kernelspec somewhere, use --prefix DIR or EDGEAI_KERNEL_DIR=DIR.)
EOF
      exit 4
    fi
    KDIR="$("$JUPYTER" --data-dir)/kernels/$NAME"
  fi
fi

# ---- JDK -----------------------------------------------------------------------------------------------------------
# The project's JDK finder (also used by ./jbang and ./run-tests): JAVA_HOME when it is 21+, else the newest JDK found.
. "$ROOT/tools/jdk.sh"
edgeai_pick_jdk
say "JDK: $JAVA_HOME ($(edgeai_java_major "$JAVA_HOME"))"

# ---- 1. the kernel jar ---------------------------------------------------------------------------------------------
RJK_JAR="$CACHE/rapaio-jupyter-kernel-$RJK_VERSION.jar"
mkdir -p "$CACHE"
if [ ! -s "$RJK_JAR" ]; then
  say "resolving io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION from Maven Central ..."
  mvnq org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" -DoutputDirectory="$CACHE" \
    -Dmdep.overWriteReleases=true
  [ -s "$RJK_JAR" ] || die "could not resolve rapaio-jupyter-kernel $RJK_VERSION"
fi

# ---- 2. the start-up race fix --------------------------------------------------------------------------------------
FIX_SRC="$ROOT/tools/kernel/src"
FIX_JAR="$CACHE/edgeai-kernel-fix.jar"
if [ ! -s "$FIX_JAR" ] || [ -n "$(find "$FIX_SRC" -newer "$FIX_JAR" -print -quit)" ]; then
  say "compiling the kernel start-up fix ..."
  rm -rf "$CACHE/fix-classes" && mkdir -p "$CACHE/fix-classes"
  # shellcheck disable=SC2046
  "$JAVA_HOME/bin/javac" --release 17 -nowarn -Xlint:none -cp "$RJK_JAR" -d "$CACHE/fix-classes" \
    $(find "$FIX_SRC" -name '*.java') 2>&1 | grep -v '^Note:' >&2 || true
  [ -f "$CACHE/fix-classes/org/rapaio/jupyter/kernel/channels/LoopThread.class" ] || die "compiling $FIX_SRC failed"
  "$JAVA_HOME/bin/jar" --create --file "$FIX_JAR.tmp" -C "$CACHE/fix-classes" . && mv "$FIX_JAR.tmp" "$FIX_JAR"
fi

# ---- 3. the lib's classpath ----------------------------------------------------------------------------------------
LIB_CP_FILE="$CACHE/lib-classpath.txt"
if [ -f "$ROOT/lib/pom.xml" ]; then
  if [ ! -s "$LIB_CP_FILE" ] || [ "$ROOT/lib/pom.xml" -nt "$LIB_CP_FILE" ] || [ "$ROOT/pom.xml" -nt "$LIB_CP_FILE" ] \
     || [ "$(cat "$LIB_CP_FILE.src" 2>/dev/null)" != "$ROOT $M2_REPO" ]; then
    say "computing lib/'s runtime classpath ..."
    mvnq -f "$ROOT/lib/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -DincludeScope=runtime -Dmdep.outputFile="$LIB_CP_FILE.tmp"
    mv "$LIB_CP_FILE.tmp" "$LIB_CP_FILE"
    echo "$ROOT $M2_REPO" >"$LIB_CP_FILE.src"
  fi
else
  say "WARNING: no lib/pom.xml next to this script; notebooks get only the lib jar itself"
  : >"$LIB_CP_FILE"
fi
# RJK_CLASSPATH separates entries with ';' (the kernel splits on it); the lib jar first.
RJK_CP="$LIB_JAR"
IFS=':' read -r -a deps <"$LIB_CP_FILE" || true
for d in "${deps[@]}"; do [ -n "$d" ] && RJK_CP="$RJK_CP;$d"; done

# ---- 4. the kernelspec ---------------------------------------------------------------------------------------------
mkdir -p "$KDIR"
cat >"$KDIR/kernel.sh.tmp" <<EOF
#!/usr/bin/env bash
# Generated by tools/install-kernel.sh — starts rapaio-jupyter-kernel $RJK_VERSION with the edgeai start-up fix first
# on the classpath and edgeai-lib $LIB_VERSION (+ dependencies) on the notebook's classpath. Rerun the installer to update.
# (Generated with JAVA_HOME=$JAVA_HOME from $ROOT.)
export OPT_OUT_TRACKING=true
export RJK_CLASSPATH="\${EDGEAI_RJK_CLASSPATH:-$RJK_CP}"
if [ ! -f "$LIB_JAR" ]; then
  msg="edgeai-lib $LIB_VERSION is not installed ($LIB_JAR is missing), so 'import dev.edgeai...' fails. Build it from the workshop checkout with ./jbang --help (or ./mvnw -pl lib -am install -DskipTests), then restart the kernel."
  echo "[edgeai kernel] \$msg" >&2
  export RJK_INIT_SCRIPT="$KDIR/missing-lib.jshell"
fi
exec "$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \\
  -cp "$FIX_JAR:$RJK_JAR" org.rapaio.jupyter.kernel.MainApp "\$@"
EOF
chmod +x "$KDIR/kernel.sh.tmp" && mv "$KDIR/kernel.sh.tmp" "$KDIR/kernel.sh"
cat >"$KDIR/missing-lib.jshell" <<EOF
System.err.println("[edgeai kernel] edgeai-lib $LIB_VERSION is missing: build it with ./jbang --help (or ./mvnw -pl lib -am install -DskipTests), then restart the kernel.");
EOF

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
cat >"$KDIR/kernel.json.tmp" <<EOF
{
  "argv": [$(json_str "$KDIR/kernel.sh"), "{connection_file}"],
  "display_name": $(json_str "$DISPLAY_NAME"),
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "OPT_OUT_TRACKING": "true",
    "RJK_TIMEOUT_MILLIS": "-1"
  },
  "metadata": {"edgeai": {"rjk_version": "$RJK_VERSION", "lib_version": "$LIB_VERSION", "java_home": $(json_str "$JAVA_HOME")}}
}
EOF
mv "$KDIR/kernel.json.tmp" "$KDIR/kernel.json"

say "installed kernelspec '$NAME' ($DISPLAY_NAME) in $KDIR"
if [ ! -f "$LIB_JAR" ]; then
  say "NOTE: $LIB_JAR is missing; build it with ./jbang --help (or ./mvnw -pl lib -am install -DskipTests)."
fi
