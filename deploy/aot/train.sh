#!/usr/bin/env bash
# Trains the JDK 25 AOT cache of the production gateway jar and writes it next to the jar
# (gateway/target/gateway-<version>.aot). One command from a clean clone:
#
#   deploy/aot/train.sh                 # builds gateway + demo if needed, trains ~20 s, writes the cache
#   deploy/aot/train.sh --no-build      # reuse the jars in */target
#   deploy/aot/train.sh --seconds 40 --jar /app/gateway.jar --cache /app/gateway.aot
#
# The workload (io.stepcast.demo.AotTraining): embedded Redis + the demo's simulated orchestrator,
# the gateway jar in its own JVM with -XX:AOTCacheOutput and client auth on, clients on WebSocket
# (subscribe and resume), SSE, long-poll, poll, the dashboard and the ops endpoints.
# JDK 25: $JAVA25_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else `java` when it is 25+.
# JVM flags of the training run: $STEPCAST_AOT_JVM_OPTS, else the image's flags (deploy/aot/jvm.flags):
# train with the flags the gateway runs with.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=1
ARGS=()
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    *) ARGS+=("$a") ;;
  esac
done

java25() {
  local c
  for c in "${JAVA25_HOME:+$JAVA25_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if [ "$("$c" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" -ge 25 ] 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}
JAVA25=$(java25) || { echo "train.sh: no JDK 25+ found (set JAVA25_HOME): the AOT cache needs JDK 25" >&2; exit 3; }

cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  echo "train.sh: building gateway and demo (./mvnw -pl deploy/demo -am package -DskipTests)" >&2
  ./mvnw -q -B -pl deploy/demo -am package -DskipTests
fi
GATEWAY_JAR=$(ls gateway/target/gateway-*.jar 2>/dev/null | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -n 1)
DEMO_JAR=$(ls deploy/demo/target/demo-*.jar 2>/dev/null | grep -v -E '(-sources|-javadoc|-tests)' | head -n 1)
[ -n "$GATEWAY_JAR" ] && [ -n "$DEMO_JAR" ] || { echo "train.sh: no gateway or demo jar; run without --no-build" >&2; exit 2; }
OPTS=${STEPCAST_AOT_JVM_OPTS:-$(grep -v '^#' "$ROOT/deploy/aot/jvm.flags" | tr '\n' ' ')}

# the training driver runs on any JDK 17+; the gateway it trains runs on $JAVA25
exec "$JAVA25" -cp "$DEMO_JAR" io.stepcast.demo.AotTraining --java "$JAVA25" --jar "$GATEWAY_JAR" \
  --jvm-opts "$OPTS" ${ARGS[@]+"${ARGS[@]}"}
