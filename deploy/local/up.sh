#!/usr/bin/env bash
# Starts a real Stepcast cluster on loopback: redis-server, N gateways (java -jar), nginx in front,
# and optionally the bridge's demo orchestrator. Waits until every gateway is ready and prints the
# URLs. Stop it with deploy/local/down.sh; drive single processes with deploy/local/ctl.sh.
#
#   deploy/local/up.sh [--demo] [--aof] [--cluster]
#
# --cluster: a Redis Cluster of 3 masters + 3 replicas (ports STEPCAST_LOCAL_REDIS_PORT..+5) instead of
# one redis-server; the gateways and the demo run in cluster mode (STEPCAST_REDIS_MODE=cluster).
# With REDIS_CLUSTER_URI=redis[s]://[user:pw@]host:port[,host:port...] set, --cluster uses that existing
# cluster instead (the same variable the tests' cluster fixture reads); down.sh/ctl.sh leave its nodes alone.
#
# Environment (defaults in brackets):
#   STEPCAST_LOCAL_GATEWAYS [3]            number of gateway processes
#   STEPCAST_LOCAL_LB_PORT [8090]          nginx (the URL clients use)
#   STEPCAST_LOCAL_GATEWAY_BASE_PORT [8091] gateway N listens on base+N-1 ...
#   STEPCAST_LOCAL_GATEWAY_PORTS           ... or an explicit list, e.g. 9101,9102,9103
#   STEPCAST_LOCAL_REDIS_PORT [6391]       redis-server
#   STEPCAST_LOCAL_REDIS_AOF [no]          yes: append-only file, data survives a Redis restart
#   STEPCAST_LOCAL_REDIS_CLUSTER [no]      yes: same as --cluster
#   STEPCAST_LOCAL_HOST [127.0.0.1]        address everything binds to
#   STEPCAST_LOCAL_RUN_DIR [deploy/local/run] pid files, logs, generated configs
#   STEPCAST_LOCAL_START_TIMEOUT [120]     seconds to wait for readiness
#   STEPCAST_LOCAL_GATEWAY_JAVA_OPTS       JVM flags of the gateways
#   STEPCAST_GATEWAY_JAR, STEPCAST_BRIDGE_CLI_JAR  jars to run (default: built from this checkout)
# Every other STEPCAST_* variable (gateway configuration) is passed to the gateways unchanged.
# Client auth is off (a development cluster) unless STEPCAST_AUTH_HS256_SECRET or
# STEPCAST_AUTH_JWKS_URL is set (or STEPCAST_AUTH_ENABLED says otherwise).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$LOCAL_DIR/components.sh"

demo=no
for arg in "$@"; do
  case "$arg" in
    --demo) demo=yes ;;
    --aof) export STEPCAST_LOCAL_REDIS_AOF=yes ;;
    --cluster) export STEPCAST_LOCAL_REDIS_CLUSTER=yes ;;
    -h|--help) sed -n '2,/^source/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

resolve_settings
require_tools

if [[ -f "$CLUSTER_ENV" ]]; then
  (
    load_cluster_env
    for name in $(component_names); do
      if pid="$(running_pid "$name")"; then die "a cluster is already running from $RUN_DIR ($name, pid $pid): run deploy/local/down.sh first"; fi
    done
  ) || exit 1
fi

resolve_gateway_jar
[[ "$demo" == yes ]] && resolve_bridge_cli_jar
rm -rf "$RUN_DIR/pids" "$RUN_DIR/nginx"
mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs"
write_cluster_env

# On any failure from here on, stop what was started (set STEPCAST_LOCAL_KEEP_ON_FAILURE=1 to look).
cleanup_on_failure() {
  local rc=$?
  if (( rc != 0 )) && [[ "${STEPCAST_LOCAL_KEEP_ON_FAILURE:-0}" != 1 ]]; then
    log "start-up failed: stopping what was started"
    "$LOCAL_DIR/down.sh" >&2 || true
  fi
}
trap cleanup_on_failure EXIT

if redis_external; then check_external_cluster
elif [[ "$REDIS_CLUSTER" == yes ]]; then start_redis_cluster
else start_redis; fi
for (( n = 1; n <= GATEWAYS; n++ )); do start_gateway "$n"; done
for (( n = 1; n <= GATEWAYS; n++ )); do wait_gateway_ready "$n"; done
start_nginx
deadline=$(( SECONDS + 30 ))
until [[ "$(http_status "$BIND_HOST" "$LB_PORT" "$READY_PATH")" == 200 ]]; do
  (( SECONDS < deadline )) || die "nginx on port $LB_PORT does not reach the gateways"
  sleep 0.2
done
[[ "$demo" == yes ]] && start_demo
trap - EXIT

cat <<INFO

Stepcast local cluster is up ($GATEWAYS gateways behind nginx, Redis AOF $REDIS_AOF, client auth $(auth_enabled)):
  WebSocket     ws://$BIND_HOST:$LB_PORT/ws            (subprotocol stepcast.v1)
  HTTP / poll   http://$BIND_HOST:$LB_PORT/api/plans/<plan>
  Dashboard     http://$BIND_HOST:$LB_PORT/
  Readiness     http://$BIND_HOST:$LB_PORT$READY_PATH
  Gateways      $(for (( n = 1; n <= GATEWAYS; n++ )); do printf 'http://%s:%s ' "$BIND_HOST" "$(gateway_port "$n")"; done)
  Metrics       http://$BIND_HOST:$(gateway_port 1)/prometheus (one per gateway)
  Redis         $(redact_uri "$(redis_uri)") ($(redis_mode)$(redis_external && echo ", existing: REDIS_CLUSTER_URI"))
  Logs, pids    $RUN_DIR/{logs,pids}
Stop it with deploy/local/down.sh; kill/restart single processes with deploy/local/ctl.sh.
INFO
