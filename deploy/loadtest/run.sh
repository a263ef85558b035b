#!/usr/bin/env bash
# Stepcast load benchmark: Stepcast vs Socket.IO 4.8 (+ Redis adapter) vs a raw Netty
# ceiling, same Redis, same event stream, one run. Builds what it needs, installs the npm peers into
# deploy/loadtest/node_modules, starts redis-server and every server itself on loopback, and writes
# deploy/loadtest/out/{results.json,results.md,fanout.png} plus logs (and JFR with --jfr true).
#
#   deploy/loadtest/run.sh                    # every scenario, every system (~20 min on 2 cores)
#   deploy/loadtest/run.sh fanout idle        # a chosen set
#   deploy/loadtest/run.sh fanout publish --redis-mode both   # also on a local Redis Cluster (3 masters
#                                             # + 3 replicas started by the run), beside standalone
#   deploy/loadtest/run.sh startup            # cold starts: JDK 17, JDK 25, JDK 25 + AOT cache, raw Netty
#                                             # (trains the AOT cache first when it is missing or stale)
#   deploy/loadtest/run.sh --help             # every option
#   --no-build                                # reuse the jars already in */target
#
# Needs: a JDK 17+, redis-server (+ redis-benchmark for `publish`), node 20+ and npm, wrk (for
# `poll`; installed with apt-get when missing and running as root). The benchmark never runs in
# ./mvnw verify.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/deploy/loadtest"
BUILD=1
ARGS=()
HELP=0
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    -h|--help) ARGS+=(--help); HELP=1 ;;
    *) ARGS+=("$a") ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: $1 not found: $2" >&2; exit 2; }; }
need java "install a JDK 17+"
need redis-server "apt-get install redis-server"
need node "install node 20+ (apt-get install nodejs npm)"
need npm "apt-get install npm"
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run.sh: installing wrk (apt-get)" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } || true
  fi
  command -v wrk >/dev/null 2>&1 || echo "run.sh: wrk not found: the poll scenario will fail (apt-get install wrk)" >&2
fi

cd "$ROOT"
# --help needs only the load generator: build nothing else when it is already there
if [ "$HELP" = 1 ] && [ -f deploy/target/loadtest.classpath ]; then BUILD=0; fi
if [ "$BUILD" = 1 ]; then
  echo "run.sh: building gateway, bridge CLI and load generator (./mvnw package -DskipTests)" >&2
  ./mvnw -q -pl deploy -am -DskipTests package
fi
[ -f deploy/target/loadtest.classpath ] || { echo "run.sh: no deploy/target/loadtest.classpath; run without --no-build" >&2; exit 2; }

# the startup scenario's JDK 25 + AOT cache variant: (re)train when the cache is older than the jar
WANT_STARTUP=1   # no scenario named: all of them, startup included
for a in ${ARGS[@]+"${ARGS[@]}"}; do
  case "$a" in
    startup) STARTUP_NAMED=1; WANT_STARTUP=1 ;;
    fanout|saturation|wide|idle|resume|poll|publish|compression|presence) WANT_STARTUP=${STARTUP_NAMED:-0} ;;
  esac
done
if [ "$WANT_STARTUP" = 1 ] && [ "$HELP" = 0 ]; then
  GW_JAR=$(ls gateway/target/gateway-*.jar 2>/dev/null | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -n 1)
  if [ -n "$GW_JAR" ] && { [ ! -f "${GW_JAR%.jar}.aot" ] || [ "$GW_JAR" -nt "${GW_JAR%.jar}.aot" ]; }; then
    echo "run.sh: training the gateway's JDK 25 AOT cache (deploy/aot/train.sh)" >&2
    deploy/aot/train.sh --no-build || echo "run.sh: no AOT cache (see above): the jdk25-aot variant will be skipped" >&2
  fi
fi

if [ "$HELP" = 0 ] && { [ ! -d "$HERE/node_modules/socket.io" ] || [ "$HERE/package.json" -nt "$HERE/node_modules" ]; }; then
  echo "run.sh: installing the Socket.IO peer from the npm registry" >&2
  if [ -f "$HERE/package-lock.json" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund >/dev/null)
  else
    (cd "$HERE" && npm install --no-audit --no-fund >/dev/null)
  fi
  touch "$HERE/node_modules"
fi

# 10,000+ connections: one descriptor each in the load generator and in the server under test
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# a private copy of the load generator, so a rebuild during the run cannot change it underneath
JAR=$(ls deploy/target/deploy-*.jar | grep -v -E 'sources|tests' | head -1)
mkdir -p "$HERE/out"
cp "$JAR" "$HERE/out/loadtest.jar"
exec java -Xms1g -Xmx2g ${LOADTEST_JAVA_OPTS:-} -Djava.awt.headless=true -Dloadtest.repo="$ROOT" \
  -cp "$HERE/out/loadtest.jar:$(cat deploy/target/loadtest.classpath)" \
  io.stepcast.deploy.loadtest.LoadTest --command "deploy/loadtest/run.sh $*" ${ARGS[@]+"${ARGS[@]}"}
