#!/usr/bin/env bash
# Builds a Micronaut AOT variant of the production gateway jar, for measuring it against the plain jar:
# gateway/target/maot/gateway-maot.jar (the shaded jar plus the classes Micronaut AOT generates for the
# optimisations in deploy/aot/micronaut-aot.properties), and with --train its JDK 25 AOT cache
# gateway/target/maot/gateway-maot.aot.
#
#   deploy/aot/micronaut-aot.sh [--no-build] [--train]
#
# micronaut-maven-plugin's aot-analysis is not used: its nested Maven build of the gateway resolves the
# sibling orchestrator-bridge SNAPSHOT from the local repository (the reactor would have to be
# `mvn install`ed, which the shared build machines must not do) and it runs micronaut-aot-cli, which
# this project's Maven registry does not serve. The optimizer itself (micronaut-aot-api,
# micronaut-aot-core, micronaut-aot-std-optimizers, at micronaut-parent's micronaut.aot.version) runs
# here directly on the shaded jar (deploy/aot/MicronautAot.java). The jar is not the production
# artifact: docs/performance.md ("Micronaut AOT") says what it measured and why it is not adopted.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=1
TRAIN=0
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    --train) TRAIN=1 ;;
    *) echo "usage: micronaut-aot.sh [--no-build] [--train]" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  ./mvnw -q -B -pl deploy/demo -am package -DskipTests
fi
JAR=$(ls gateway/target/gateway-*.jar 2>/dev/null | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -n 1)
[ -n "$JAR" ] || { echo "micronaut-aot.sh: no gateway jar; run without --no-build" >&2; exit 2; }
REPO=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
PARENT=$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
# micronaut-parent takes its versions from the platform BOM of the same version
PARENT_POM="$REPO/io/micronaut/platform/micronaut-platform/$PARENT/micronaut-platform-$PARENT.pom"
AOT=$(sed -n 's:.*<micronaut.aot.version>\(.*\)</micronaut.aot.version>.*:\1:p' "$PARENT_POM" 2>/dev/null | head -n 1)
[ -n "$AOT" ] || { echo "micronaut-aot.sh: no micronaut.aot.version in $PARENT_POM" >&2; exit 2; }
CP=""
for a in api core std-optimizers; do
  ./mvnw -q -B dependency:get -Dartifact="io.micronaut.aot:micronaut-aot-$a:$AOT" >/dev/null
  CP="$CP$REPO/io/micronaut/aot/micronaut-aot-$a/$AOT/micronaut-aot-$a-$AOT.jar:"
done
POET=$(sed -n '/<artifactId>javapoet<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p}' \
  "$REPO/io/micronaut/aot/micronaut-aot-core/$AOT/micronaut-aot-core-$AOT.pom" | head -n 1)
./mvnw -q -B dependency:get -Dartifact="com.squareup:javapoet:$POET" >/dev/null
CP="$CP$REPO/com/squareup/javapoet/$POET/javapoet-$POET.jar"

OUT=gateway/target/maot
rm -rf "$OUT" && mkdir -p "$OUT"
echo "micronaut-aot.sh: Micronaut AOT $AOT on $JAR" >&2
java -cp "$CP:$JAR" deploy/aot/MicronautAot.java deploy/aot/micronaut-aot.properties "$JAR" "$OUT/generated" \
  >"$OUT/optimizer.log" 2>&1 || { tail -20 "$OUT/optimizer.log" >&2; exit 1; }
cp "$JAR" "$OUT/gateway-maot.jar"
JAR_TOOL=$(dirname "$(readlink -f "$(command -v java)")")/jar
"$JAR_TOOL" uf "$OUT/gateway-maot.jar" -C "$OUT/generated/classes" .
echo "micronaut-aot.sh: wrote $OUT/gateway-maot.jar ($(grep -c . "$OUT/generated/logs/serviceloading.log" 2>/dev/null || echo 0) service-loading log lines in $OUT/generated/logs)" >&2
if [ "$TRAIN" = 1 ]; then
  deploy/aot/train.sh --no-build --jar "$OUT/gateway-maot.jar" --cache "$OUT/gateway-maot.aot"
fi
