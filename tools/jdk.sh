# Sourced by ./jbang and ./run-tests: makes JAVA_HOME point at a JDK >= 21.
# Why: the workshop code is Java 21, while many machines default to Java 17 (this one ships Temurin 25 beside it).
# Keeps JAVA_HOME when it is already 21+, else takes the newest JDK found next to the java on PATH, in
# /usr/lib/jvm, SDKMAN or macOS's folder; with none it prints how to install one and exits 3.

edgeai_java_major() { # the feature version of the JDK home $1, or 0
  local v=""
  # The JDK's release file answers without starting a JVM (~100 ms each): this runs on every ./jbang call.
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$1/release" | head -n 1)
  [ "$v" = 1 ] && v=""   # "1.8.0_x" style: ask the JVM
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  echo "${v:-0}"
}

edgeai_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(edgeai_java_major "$JAVA_HOME")" -ge 21 ]; then
    return 0
  fi
  local candidates=() best="" best_v=0 d v
  if command -v java >/dev/null 2>&1; then
    d="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    candidates+=("$d" "$(dirname "$d")"/*)
  fi
  candidates+=(/usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*
               /Library/Java/JavaVirtualMachines/*/Contents/Home)
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    v=$(edgeai_java_major "$d")
    if [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ "$best_v" -ge 21 ]; then
    export JAVA_HOME="$best"
    export PATH="$JAVA_HOME/bin:$PATH"
  else
    echo "ERROR: the workshop needs a JDK 21 or newer and none was found (checked JAVA_HOME, the java on PATH and" >&2
    echo "       its sibling folders, /usr/lib/jvm, SDKMAN). Install one (e.g. 'sdk install java 21-tem' or the" >&2
    echo "       package openjdk-21-jdk) and set JAVA_HOME to it." >&2
    exit 3
  fi
}

# Maven 3.9 on JDK 24+ warns about sun.misc.Unsafe on every run; the flag only exists from JDK 24 on.
edgeai_quiet_maven() {
  if [ "$(edgeai_java_major "$JAVA_HOME")" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe-memory-access*) ;; *)
      export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
    esac
  fi
}

