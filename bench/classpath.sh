# Sourced by the bench/*.sh scripts: bench_classpath FILE builds the bench module (and what it needs) and writes a java
# @argfile with its runtime class path to FILE. Why an argfile: a class path on the command line makes every JVM
# command line several KB long, and ONNX Runtime Java 1.29 crashes at start-up on long command lines.
bench_classpath() {
  local mvn="${MVN:-$repo/mvnw}"
  "$mvn" -q -B ${EDGEAI_M2_REPO:+-Dmaven.repo.local="$EDGEAI_M2_REPO"} -f "$repo/pom.xml" -pl bench -am install -DskipTests >&2
  "$mvn" -q -B ${EDGEAI_M2_REPO:+-Dmaven.repo.local="$EDGEAI_M2_REPO"} -f "$repo/bench/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$1.deps" >&2
  printf -- '-cp "%s"\n' "$repo/bench/target/classes:$(cat "$1.deps")" >"$1"
  rm -f "$1.deps"
}
