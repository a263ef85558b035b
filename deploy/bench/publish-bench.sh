#!/usr/bin/env bash
# Bridge publish benchmark: the orchestrator bridge's publish rate (events/s, one plan and many plans)
# against redis-benchmark running EVALSHA of the same publish script, in the same run, on the same Redis.
#
# Usage: deploy/bench/publish-bench.sh [--redis redis://host:port] [--no-build] [bench options]
#   Without --redis (or REDIS_URI) a private redis-server is started on a free loopback port and
#   stopped afterwards. bench options: see `java -jar orchestrator-bridge/target/*-cli.jar --help`
#   (--events, --plans, --window, --warmup, --rb-clients, --rb-pipeline, --redis-benchmark).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REDIS=${REDIS_URI:-}
BUILD=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --redis) REDIS=$2; shift 2 ;;
    --redis=*) REDIS=${1#--redis=}; shift ;;
    --no-build) BUILD=0; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

jar() { ls "$ROOT"/orchestrator-bridge/target/orchestrator-bridge-*-cli.jar 2>/dev/null | head -1; }
JAR=$(jar)
if [ "$BUILD" = 1 ] && { [ -z "$JAR" ] || [ -n "$(find "$ROOT/orchestrator-bridge/src/main" -newer "$JAR" -type f | head -1)" ]; }; then
  echo "building the bridge CLI jar..." >&2
  (cd "$ROOT" && ./mvnw -q -pl orchestrator-bridge -am -DskipTests package)
  JAR=$(jar)
fi
[ -n "$JAR" ] || { echo "no orchestrator-bridge CLI jar; run without --no-build" >&2; exit 2; }

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$SERVER_DIR"
  fi
}
trap cleanup EXIT

if [ -z "$REDIS" ]; then
  command -v redis-server >/dev/null || { echo "redis-server not found: install it or pass --redis" >&2; exit 2; }
  port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  PORT=
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if port_free "$candidate"; then PORT=$candidate; break; fi
  done
  [ -n "$PORT" ] || { echo "no free port found" >&2; exit 2; }
  SERVER_DIR=$(mktemp -d)
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$SERVER_DIR" \
    --daemonize no --logfile "$SERVER_DIR/redis.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$PORT" ping >/dev/null || { echo "redis-server did not start" >&2; cat "$SERVER_DIR/redis.log" >&2; exit 1; }
  REDIS="redis://127.0.0.1:$PORT"
  echo "started redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on port $PORT" >&2
fi

echo "date: $(date)"
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
echo "load average before the run: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null)"
echo "command: deploy/bench/publish-bench.sh ${ARGS[*]:-}"
java -jar "$JAR" bench --redis "$REDIS" ${ARGS[@]+"${ARGS[@]}"}
