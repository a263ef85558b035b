#!/usr/bin/env bash
# Profiles one cold start of the production gateway jar: JFR with 1 ms execution sampling and the
# class-loading log, until /health/readiness answers; then prints the time to ready, how many classes
# were loaded (and how many came from the AOT cache), the CPU each thread had used at readiness
# (JIT compiler threads, GC, Lettuce, the main thread) and the main thread's inclusive samples by
# method (deploy/aot/StartupProfile.java), and 2 s after readiness the resident memory by mapping. Needs redis-server on the PATH; no build (run
# ./mvnw -pl gateway -am package -DskipTests first, and deploy/aot/train.sh for --aot).
#
#   deploy/aot/profile-startup.sh            # $JAVA (default: java on the PATH), image flags
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java deploy/aot/profile-startup.sh --aot
#   EXTRA_JVM_OPTS=-XX:TieredStopAtLevel=1 JAVA=... deploy/aot/profile-startup.sh --aot   # flags added
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAVA=${JAVA:-java}
JAR=$(ls "$ROOT"/gateway/target/gateway-*.jar 2>/dev/null | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -n 1)
[ -n "$JAR" ] || { echo "profile-startup.sh: no gateway jar (./mvnw -pl gateway -am package -DskipTests)" >&2; exit 2; }
OUT="$ROOT/gateway/target/startup-profile"
mkdir -p "$OUT"
FLAGS=$(grep -v '^#' "$ROOT/deploy/aot/jvm.flags" | tr '\n' ' ')
AOT=()
if [ "${1:-}" = "--aot" ]; then
  [ -f "${JAR%.jar}.aot" ] || { echo "profile-startup.sh: no AOT cache (deploy/aot/train.sh)" >&2; exit 2; }
  AOT=("-XX:AOTCache=${JAR%.jar}.aot")
fi
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
RPORT=$(free_port); PORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/redis.log" 2>&1 &
RPID=$!
trap 'kill $RPID 2>/dev/null || true' EXIT
rm -f "$OUT/startup.jfr"
# JFR adds the jdk.jfr module, and an AOT cache trained without it is then refused: with --aot only
# the class-loading log is taken (how many classes the cache served), without it the JFR profile too
JFR=("-XX:StartFlightRecording=filename=$OUT/startup.jfr,settings=profile,jdk.ExecutionSample#period=1ms,dumponexit=true")
[ ${#AOT[@]} -gt 0 ] && JFR=()
START=$(date +%s%N)
# shellcheck disable=SC2086
"$JAVA" $FLAGS -XX:MaxRAM=1g ${EXTRA_JVM_OPTS:-} ${AOT[@]+"${AOT[@]}"} ${JFR[@]+"${JFR[@]}"} \
  "-Xlog:class+load:file=$OUT/class-load.txt" -jar "$JAR" --micronaut.server.host=127.0.0.1 \
  --micronaut.server.port="$PORT" --stepcast.redis.uri="redis://127.0.0.1:$RPORT" --stepcast.auth.enabled=false \
  >"$OUT/gateway.log" 2>&1 &
GPID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/readiness"; do
  kill -0 $GPID 2>/dev/null || { echo "profile-startup.sh: the gateway exited" >&2; tail -20 "$OUT/gateway.log" >&2; exit 1; }
  sleep 0.01
done
READY=$(( ($(date +%s%N) - START) / 1000000 ))
# CPU per thread at readiness (utime + stime in clock ticks), grouped by name without its number
TICK=$(getconf CLK_TCK)
THREADS=$(for t in /proc/$GPID/task/*; do
  # fields after the ") " that ends the thread name: utime and stime are the 12th and 13th
  echo "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}') $(sed 's/[#-]*[0-9]*$//' "$t/comm" 2>/dev/null)"
done | awk -v tick="$TICK" '{n=$1; $1=""; cpu[$0]+=n; all+=n} END {for (k in cpu) if (cpu[k] > 0) printf "%8.0f ms %s\n", cpu[k]*1000/tick, k; printf "%8.0f ms (all threads)\n", all*1000/tick}' | sort -rn)
# memory 2 s after readiness (the benchmark's "RSS after start"): the largest mappings by resident size
sleep 2
MEM=$(grep -E '^(Rss|Pss_Anon|Pss_File)' /proc/$GPID/smaps_rollup | tr -s ' ' | tr '\n' ' ')
MAPS=$(pmap -x $GPID 2>/dev/null | awk 'NR > 2 && $1 != "total" && $3 > 2048 {n = ($NF == "]") ? "[anon]" : $NF; printf "%8.1f MB resident, %6.1f MB dirty  %s\n", $3/1024, $4/1024, n}' | sort -rn | head -8)
kill -TERM $GPID; wait $GPID 2>/dev/null || true
echo "ready after ${READY} ms (with class logging$([ ${#JFR[@]} -gt 0 ] && echo ' and JFR') on), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CPU by thread at readiness:"
echo "$THREADS"
echo "memory 2 s after readiness: $MEM"
echo "largest mappings (anon: Java heap, malloc arenas, code cache; .aot: the AOT cache):"
echo "$MAPS"
echo "classes loaded: $(grep -c 'class,load' "$OUT/class-load.txt"), from the AOT cache or CDS archive: $(grep -c 'shared objects file' "$OUT/class-load.txt")"
[ -f "$OUT/startup.jfr" ] && "$JAVA" "$ROOT/deploy/aot/StartupProfile.java" "$OUT/startup.jfr" 40 || true
