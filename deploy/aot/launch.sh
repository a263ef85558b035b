#!/usr/bin/env bash
# Starts the production gateway jar with its JDK 25 AOT cache when there is one, plainly otherwise.
#
#   deploy/aot/launch.sh [gateway arguments...]      e.g. --stepcast.redis.uri=redis://127.0.0.1:6379
#
# Jar: $STEPCAST_GATEWAY_JAR, else gateway/target/gateway-<version>.jar. Cache: the jar's name with
# .aot (deploy/aot/train.sh writes it there). Java: $JAVA_HOME/bin/java, else `java`. The cache is
# used only by a JDK 25+ and only when the file exists; a JDK 17 or a missing cache start the gateway
# exactly as `java -jar` does. JVM flags: $STEPCAST_JVM_OPTS, else the image's (deploy/aot/jvm.flags).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${STEPCAST_GATEWAY_JAR:-$(ls "$ROOT"/gateway/target/gateway-*.jar 2>/dev/null | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -n 1)}
[ -n "$JAR" ] && [ -f "$JAR" ] || { echo "launch.sh: no gateway jar (./mvnw -pl gateway -am package -DskipTests)" >&2; exit 2; }
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/java}
JAVA=${JAVA:-java}
OPTS=${STEPCAST_JVM_OPTS:-$(grep -v '^#' "$ROOT/deploy/aot/jvm.flags" | tr '\n' ' ')}
CACHE="${JAR%.jar}.aot"
FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
AOT=()
if [ -f "$CACHE" ] && [ "${FEATURE:-0}" -ge 25 ] 2>/dev/null; then
  AOT=("-XX:AOTCache=$CACHE")
fi
# the image's environment: at most 2 glibc malloc arenas (deploy/docker/gateway.Dockerfile)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# shellcheck disable=SC2086
exec "$JAVA" $OPTS ${AOT[@]+"${AOT[@]}"} -jar "$JAR" "$@"
