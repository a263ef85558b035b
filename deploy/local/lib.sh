# shellcheck shell=bash
# Shared functions of deploy/local/{up,down,ctl}.sh. Sourced, never run.
#
# Everything a local cluster starts lives under one run directory (default deploy/local/run/):
#   cluster.env        the settings the cluster was started with (ports, gateway count, jar paths)
#   pids/<name>.pid    one pid file per process (redis, gateway-1..N, nginx, demo)
#   logs/<name>.log    its output
#   redis/             redis.conf and, with AOF on, its data
#   nginx/             the generated nginx.conf, its pid file and temp directories
# Nothing is written outside it, and down.sh stops exactly the processes recorded there.

set -euo pipefail

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$LOCAL_DIR/../.." && pwd)"
RUN_DIR="${STEPCAST_LOCAL_RUN_DIR:-$LOCAL_DIR/run}"
CLUSTER_ENV="$RUN_DIR/cluster.env"

log() { printf '[stepcast-local] %s\n' "$*" >&2; }
die() { printf '[stepcast-local] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Settings. up.sh resolves them from the environment and records them in cluster.env; ctl.sh and
# down.sh read them back from there, so a later shell with other variables still drives the same
# cluster.
# ---------------------------------------------------------------------------------------------
resolve_settings() {
  BIND_HOST="${STEPCAST_LOCAL_HOST:-127.0.0.1}"
  GATEWAYS="${STEPCAST_LOCAL_GATEWAYS:-3}"
  REDIS_PORT="${STEPCAST_LOCAL_REDIS_PORT:-6391}"
  LB_PORT="${STEPCAST_LOCAL_LB_PORT:-8090}"
  GATEWAY_BASE_PORT="${STEPCAST_LOCAL_GATEWAY_BASE_PORT:-8091}"
  # Explicit ports (comma separated) win over the base port: "9101,9102,9103".
  GATEWAY_PORTS="${STEPCAST_LOCAL_GATEWAY_PORTS:-}"
  REDIS_AOF="${STEPCAST_LOCAL_REDIS_AOF:-no}"
  # yes: a Redis Cluster of 3 masters + 3 replicas on REDIS_PORT..REDIS_PORT+5 (bus ports +10000)
  REDIS_CLUSTER="${STEPCAST_LOCAL_REDIS_CLUSTER:-no}"
  # with a cluster: an existing one (seed URI, the variable the tests' cluster fixture reads) instead of
  # starting 6 local nodes; down.sh and ctl.sh then leave its nodes alone
  REDIS_CLUSTER_URI="${REDIS_CLUSTER_URI:-}"
  START_TIMEOUT="${STEPCAST_LOCAL_START_TIMEOUT:-120}"
  STOP_TIMEOUT="${STEPCAST_LOCAL_STOP_TIMEOUT:-60}"
  JAVA_BIN="${STEPCAST_LOCAL_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
  GATEWAY_JAVA_OPTS="${STEPCAST_LOCAL_GATEWAY_JAVA_OPTS:--Xms64m -Xmx384m -XX:+ExitOnOutOfMemoryError}"
  DEMO_JAVA_OPTS="${STEPCAST_LOCAL_DEMO_JAVA_OPTS:--Xmx128m -XX:+ExitOnOutOfMemoryError}"
  GATEWAY_JAR="${STEPCAST_GATEWAY_JAR:-}"
  BRIDGE_CLI_JAR="${STEPCAST_BRIDGE_CLI_JAR:-}"

  [[ "$GATEWAYS" =~ ^[1-9][0-9]?$ ]] || die "STEPCAST_LOCAL_GATEWAYS must be 1..99, got '$GATEWAYS'"
  local p
  for p in "$REDIS_PORT" "$LB_PORT" "$GATEWAY_BASE_PORT"; do
    [[ "$p" =~ ^[0-9]+$ ]] && (( p > 0 && p < 65536 )) || die "not a port: '$p'"
  done
  case "$REDIS_AOF" in yes|no) ;; *) die "STEPCAST_LOCAL_REDIS_AOF must be yes or no, got '$REDIS_AOF'";; esac
  case "$REDIS_CLUSTER" in yes|no) ;; *) die "STEPCAST_LOCAL_REDIS_CLUSTER must be yes or no, got '$REDIS_CLUSTER'";; esac
  [[ "$REDIS_CLUSTER" == yes ]] || REDIS_CLUSTER_URI=""  # only --cluster uses it
  if [[ -n "$REDIS_CLUSTER_URI" && ! "$REDIS_CLUSTER_URI" =~ ^rediss?:// ]]; then
    die "REDIS_CLUSTER_URI must be redis[s]://[user:password@]host:port[,host:port...], got '$(redact_uri "$REDIS_CLUSTER_URI")'"
  fi
  if [[ "$REDIS_CLUSTER" == yes && -z "$REDIS_CLUSTER_URI" ]] && (( REDIS_PORT + 10005 > 65535 )); then
    die "STEPCAST_LOCAL_REDIS_PORT $REDIS_PORT leaves no room for the cluster bus ports (+10000)"
  fi

  local ports=() i
  if [[ -n "$GATEWAY_PORTS" ]]; then
    IFS=',' read -r -a ports <<<"$GATEWAY_PORTS"
    (( ${#ports[@]} == GATEWAYS )) || die "STEPCAST_LOCAL_GATEWAY_PORTS lists ${#ports[@]} ports for $GATEWAYS gateways"
  else
    for (( i = 0; i < GATEWAYS; i++ )); do ports+=( $(( GATEWAY_BASE_PORT + i )) ); done
  fi
  GATEWAY_PORTS="$(IFS=','; echo "${ports[*]}")"
}

write_cluster_env() {
  mkdir -p "$RUN_DIR"
  {
    echo "# written by deploy/local/up.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); read by ctl.sh and down.sh"
    local v
    for v in BIND_HOST GATEWAYS REDIS_PORT LB_PORT GATEWAY_PORTS REDIS_AOF REDIS_CLUSTER REDIS_CLUSTER_URI START_TIMEOUT STOP_TIMEOUT \
             JAVA_BIN GATEWAY_JAVA_OPTS DEMO_JAVA_OPTS GATEWAY_JAR BRIDGE_CLI_JAR; do
      printf '%s=%q\n' "$v" "${!v}"
    done
  } >"$CLUSTER_ENV"
}

load_cluster_env() {
  [[ -f "$CLUSTER_ENV" ]] || die "no cluster recorded in $RUN_DIR (start one with deploy/local/up.sh)"
  # shellcheck disable=SC1090
  source "$CLUSTER_ENV"
}

gateway_port() { # gateway_port N (1-based)
  local ports
  IFS=',' read -r -a ports <<<"$GATEWAY_PORTS"
  (( $1 >= 1 && $1 <= ${#ports[@]} )) || die "no gateway $1 (the cluster has ${#ports[@]})"
  echo "${ports[$(( $1 - 1 ))]}"
}

redis_uri() { # a cluster: every node as a seed (or the existing cluster's URI)
  if [[ "${REDIS_CLUSTER:-no}" == yes && -n "${REDIS_CLUSTER_URI:-}" ]]; then
    echo "$REDIS_CLUSTER_URI"
  elif [[ "${REDIS_CLUSTER:-no}" == yes ]]; then
    local n uri="redis://"
    for (( n = 0; n < 6; n++ )); do
      (( n > 0 )) && uri+=","
      uri+="$BIND_HOST:$(( REDIS_PORT + n ))"
    done
    echo "$uri"
  else
    echo "redis://$BIND_HOST:$REDIS_PORT"
  fi
}

# yes when the Redis nodes are someone else's (an existing cluster): never started, stopped or killed here
redis_external() { [[ "${REDIS_CLUSTER:-no}" == yes && -n "${REDIS_CLUSTER_URI:-}" ]]; }

redact_uri() { sed -E 's#(rediss?://)[^@/]*@#\1***@#' <<<"$1"; }

redis_mode() { [[ "${REDIS_CLUSTER:-no}" == yes ]] && echo cluster || echo standalone; }

# ---------------------------------------------------------------------------------------------
# Prerequisites: say clearly what is missing.
# ---------------------------------------------------------------------------------------------
require_tools() { # require_tools [--demo]
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=("redis-server (Debian/Ubuntu: apt-get install redis-server)")
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=("nginx (Debian/Ubuntu: apt-get install nginx)")
  command -v "$JAVA_BIN" >/dev/null 2>&1 || missing+=("java 17+ (set JAVA_HOME or STEPCAST_LOCAL_JAVA)")
  if (( ${#missing[@]} > 0 )); then
    log "missing prerequisites:"
    local m
    for m in "${missing[@]}"; do log "  - $m"; done
    exit 2
  fi
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

# ---------------------------------------------------------------------------------------------
# Jars: the gateway's runnable jar and the bridge CLI jar, built with ./mvnw when missing.
# ---------------------------------------------------------------------------------------------
find_jar() { # find_jar DIR GLOB: newest match, skipping sources/javadoc/tests/original jars
  local dir="$1" glob="$2" f best=""
  for f in "$dir"/$glob; do
    [[ -f "$f" ]] || continue
    case "$(basename "$f")" in *-sources.jar|*-javadoc.jar|*-tests.jar|original-*) continue;; esac
    if [[ -z "$best" || "$f" -nt "$best" ]]; then best="$f"; fi
  done
  echo "$best"
}

resolve_gateway_jar() {
  if [[ -n "$GATEWAY_JAR" ]]; then
    [[ -f "$GATEWAY_JAR" ]] || die "STEPCAST_GATEWAY_JAR=$GATEWAY_JAR does not exist"
    return
  fi
  GATEWAY_JAR="$(find_jar "$REPO_DIR/gateway/target" 'gateway-*.jar')"
  if [[ -z "$GATEWAY_JAR" ]]; then
    log "gateway jar missing: building it (./mvnw -q -pl gateway -am package -DskipTests)"
    (cd "$REPO_DIR" && ./mvnw -q -pl gateway -am package -DskipTests) || die "building the gateway failed"
    GATEWAY_JAR="$(find_jar "$REPO_DIR/gateway/target" 'gateway-*.jar')"
    [[ -n "$GATEWAY_JAR" ]] || die "no runnable jar in gateway/target after the build"
  fi
}

resolve_bridge_cli_jar() {
  if [[ -n "$BRIDGE_CLI_JAR" ]]; then
    [[ -f "$BRIDGE_CLI_JAR" ]] || die "STEPCAST_BRIDGE_CLI_JAR=$BRIDGE_CLI_JAR does not exist"
    return
  fi
  BRIDGE_CLI_JAR="$(find_jar "$REPO_DIR/orchestrator-bridge/target" 'orchestrator-bridge-*-cli.jar')"
  if [[ -z "$BRIDGE_CLI_JAR" ]]; then
    log "bridge CLI jar missing: building it (./mvnw -q -pl orchestrator-bridge package -DskipTests)"
    (cd "$REPO_DIR" && ./mvnw -q -pl orchestrator-bridge package -DskipTests) || die "building the bridge failed"
    BRIDGE_CLI_JAR="$(find_jar "$REPO_DIR/orchestrator-bridge/target" 'orchestrator-bridge-*-cli.jar')"
    [[ -n "$BRIDGE_CLI_JAR" ]] || die "no *-cli.jar in orchestrator-bridge/target after the build"
  fi
}

# ---------------------------------------------------------------------------------------------
# Processes, by pid file. A pid is trusted only while its command line still looks like ours, so a
# recycled pid is never signalled.
# ---------------------------------------------------------------------------------------------
pid_file() { echo "$RUN_DIR/pids/$1.pid"; }

expected_command() { # the word the process's command line must contain
  case "$1" in
    redis|redis-[1-6]) echo "redis-server" ;;
    nginx) echo "nginx" ;;
    *) echo "java" ;;
  esac
}

running_pid() { # running_pid NAME: prints the pid when the process is alive and ours
  local f pid cmd
  f="$(pid_file "$1")"
  [[ -s "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  cmd="$(ps -p "$pid" -o args= 2>/dev/null || true)"
  [[ "$cmd" == *"$(expected_command "$1")"* ]] || return 1
  echo "$pid"
}

# stop_process NAME SIGNAL TIMEOUT: signal, wait for exit, SIGKILL after TIMEOUT seconds.
stop_process() {
  local name="$1" sig="$2" timeout="$3" pid waited=0
  if ! pid="$(running_pid "$name")"; then
    rm -f "$(pid_file "$name")"
    return 0
  fi
  log "stopping $name (pid $pid, SIG$sig)"
  kill -"$sig" "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= timeout * 10 )); then
      log "$name (pid $pid) still running after ${timeout}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$(( waited + 1 ))
  done
  # A killed process is reaped by its parent (init); wait until it is really gone.
  while kill -0 "$pid" 2>/dev/null && [[ "$(ps -p "$pid" -o stat= 2>/dev/null)" != Z* ]]; do sleep 0.05; done
  rm -f "$(pid_file "$name")"
}

kill_process() { # kill_process NAME: SIGKILL at once (chaos), no grace
  local pid
  pid="$(running_pid "$1")" || { log "$1 is not running"; return 0; }
  log "killing $1 (pid $pid, SIGKILL)"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [[ "$(ps -p "$pid" -o stat= 2>/dev/null)" != Z* ]]; do sleep 0.05; done
  rm -f "$(pid_file "$1")"
}

# ---------------------------------------------------------------------------------------------
# HTTP probe without requiring curl: prints the status code of GET http://HOST:PORT/PATH, or 000.
# ---------------------------------------------------------------------------------------------
http_status() {
  local host="$1" port="$2" path="$3" line
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 3 -w '%{http_code}' "http://$host:$port$path" 2>/dev/null || echo 000
    return
  fi
  {
    exec 3<>"/dev/tcp/$host/$port" || { echo 000; return; }
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&3
    read -r -t 3 line <&3 || line=""
    exec 3>&- 3<&-
  } 2>/dev/null
  line="${line#HTTP/* }"
  echo "${line:0:3}" | grep -E '^[0-9]{3}$' || echo 000
}

port_in_use() { # true when something listens on HOST:PORT
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

tail_log() { # tail_log NAME: the last lines of a process's log, for error messages
  local f="$RUN_DIR/logs/$1.log"
  [[ -f "$f" ]] && { log "--- last lines of $f ---"; tail -n 25 "$f" >&2; }
  return 0
}
