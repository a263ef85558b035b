#!/usr/bin/env bash
# Plan index page latency: seeds N plans (default 10,000) through the bridge's publish path (the CLI's
# `pipe`, so the index is kept exactly as in production), starts one gateway (auth off) on them and
# measures GET /api/plans with wrk: the first page (limit 50), a full page (limit 500), a status filter
# and a prefix that matches 10 plans (read from the lexicographic index {_plans}:ids since it exists;
# before, it scanned the whole index), and the 304 answer.
#
# Usage: deploy/bench/index-bench.sh [--plans 10000] [--duration 10] [--connections 8] [--no-build]
#   Needs redis-server, wrk, curl and a JDK 17+; starts a private redis-server on a free loopback port.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLANS=10000
DURATION=10
CONNECTIONS=8
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --plans) PLANS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in redis-server redis-cli wrk curl java; do
  command -v "$tool" >/dev/null || { echo "index-bench: $tool not found: not measured" >&2; exit 2; }
done

if [ "$BUILD" = 1 ]; then
  echo "building the bridge CLI and the gateway..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl orchestrator-bridge,gateway -am -DskipTests -Dmaven.javadoc.skip package)
fi
CLI=$(ls "$ROOT"/orchestrator-bridge/target/orchestrator-bridge-*-cli.jar | head -1)
GW=$(ls "$ROOT"/gateway/target/gateway-*.jar | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -1)

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if port_free "$candidate"; then echo "$candidate"; return; fi
  done
  echo "no free port found" >&2; exit 2
}

WORK=$(mktemp -d)
REDIS_PID=
GW_PID=
cleanup() {
  [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --daemonize no --logfile "$WORK/redis.log" &
REDIS_PID=$!
for _ in $(seq 1 100); do redis-cli -p "$RPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
REDIS="redis://127.0.0.1:$RPORT"

echo "date: $(date -u)"
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
echo "redis: $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), java: $(java -version 2>&1 | head -1)"
echo "load average before seeding: $(cut -d' ' -f1-3 /proc/loadavg)"

# N plans, 3 steps each: started, step 0 running; every 7th plan failed, every 3rd done
start=$(date +%s%N)
awk -v n="$PLANS" 'BEGIN {
  for (i = 0; i < n; i++) {
    p = sprintf("idx-%05d", i)
    printf "{\"plan_id\":\"%s\",\"event\":\"plan_started\",\"data\":{\"name\":\"job %d\",\"steps\":[\"a\",\"b\",\"c\"]}}\n", p, i
    printf "{\"plan_id\":\"%s\",\"event\":\"step_status\",\"data\":{\"step_index\":0,\"status\":\"running\"}}\n", p
    printf "{\"plan_id\":\"%s\",\"event\":\"step_output\",\"data\":{\"step_index\":0,\"chunk\":\"compiling\\n\"}}\n", p
    if (i % 7 == 0) printf "{\"plan_id\":\"%s\",\"event\":\"plan_failed\",\"data\":{\"error\":\"boom\"}}\n", p
    else if (i % 3 == 0) printf "{\"plan_id\":\"%s\",\"event\":\"plan_completed\",\"data\":{}}\n", p
  }
}' | java -jar "$CLI" pipe --redis "$REDIS" >/dev/null
seeded=$(( ($(date +%s%N) - start) / 1000000 ))
echo "seeded $(redis-cli -p "$RPORT" zcard 'stepcast:{_plans}:index') index entries in ${seeded} ms (index seq $(redis-cli -p "$RPORT" hget 'stepcast:{_plans}:meta' seq))"

GPORT=$(free_port)
java -Dmicronaut.server.port="$GPORT" -Dstepcast.redis.uri="$REDIS" -Dstepcast.auth.enabled=false \
  -jar "$GW" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$GPORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$GPORT/health" >/dev/null || { echo "gateway did not start" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
BASE="http://127.0.0.1:$GPORT/api/plans"
# warm-up (JIT, script cache)
for _ in $(seq 1 200); do curl -fs "$BASE" >/dev/null; done

echo
echo "| request | body bytes | req/s | p50 | p90 | p99 | non-2xx/3xx |"
echo "|---|---:|---:|---:|---:|---:|---:|"
measure() {
  local label=$1 url=$2; shift 2
  local bytes
  bytes=$(curl -fs "$@" "$url" | wc -c)
  local args=(-t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency)
  for h in "$@"; do [ "$h" = -H ] || args+=(-H "$h"); done
  local out
  out=$(wrk "${args[@]}" "$url")
  local rps p50 p90 p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p90=$(echo "$out" | awk '$1 == "90%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "| $label | $bytes | $rps | $p50 | $p90 | $p99 | ${bad:-0} |"
}
measure "first page (limit 50)" "$BASE"
measure "full page (limit 500)" "$BASE?limit=500"
measure "status=failed, limit 50 (scans the index)" "$BASE?status=failed"
measure "prefix matching 10 plans (lexicographic index)" "$BASE?prefix=idx-0000"
ETAG=$(curl -fsI "$BASE" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
measure "first page, If-None-Match (304)" "$BASE" -H "If-None-Match: $ETAG"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
