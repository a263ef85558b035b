#!/usr/bin/env bash
# Drives single processes of a running local cluster (started by deploy/local/up.sh).
#
#   ctl.sh status                      every component: pid, alive, ready
#   ctl.sh stop    gateway N|redis|nginx|demo   graceful (SIGTERM: a gateway drains its clients)
#   ctl.sh kill    gateway N|redis|nginx|demo   SIGKILL, no grace (chaos)
#   ctl.sh start   gateway N|redis|nginx|demo   start again on the same port (waits until ready)
#   ctl.sh restart gateway N|redis|nginx|demo   stop, then start
#   ctl.sh rolling-restart             restart every gateway in turn, each ready before the next
#   ctl.sh wait-ready                  wait until every gateway reports ready
#
# With up.sh --cluster the Redis nodes are redis-1..redis-6 instead of redis (e.g. `ctl.sh kill redis-1`
# kills a master: its replica is promoted; `ctl.sh start redis-1` brings it back as a replica).
# `start redis` keeps the cluster's persistence setting; STEPCAST_LOCAL_REDIS_AOF=yes|no changes it
# (from this start on).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$LOCAL_DIR/components.sh"

cmd="${1:-status}"
case "$cmd" in -h|--help|help) sed -n '2,/^source/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
load_cluster_env
what="${2:-}"
num="${3:-}"

component() { # validates the target and prints its process name
  case "$what" in
    gateway) [[ "$num" =~ ^[0-9]+$ ]] && (( num >= 1 && num <= GATEWAYS )) || die "gateway number 1..$GATEWAYS expected"
             echo "gateway-$num" ;;
    redis) [[ "$REDIS_CLUSTER" != yes ]] || die "a --cluster run has redis-1..6, not redis"; echo "$what" ;;
    nginx|demo) echo "$what" ;;
    redis-[1-6]) [[ "$REDIS_CLUSTER" == yes ]] || die "$what exists only in a --cluster run"
      ! redis_external || die "the Redis Cluster is an existing one (REDIS_CLUSTER_URI): its nodes are not ours to $cmd"
      echo "$what" ;;
    *) die "unknown component '$what' (gateway N, redis, redis-1..6 with --cluster, nginx, demo)" ;;
  esac
}

start_component() {
  case "$what" in
    gateway) start_gateway "$num"; wait_gateway_ready "$num" ;;
    redis)
      # An explicit STEPCAST_LOCAL_REDIS_AOF changes the cluster's persistence from now on.
      if [[ -n "${STEPCAST_LOCAL_REDIS_AOF:-}" && "$STEPCAST_LOCAL_REDIS_AOF" != "$REDIS_AOF" ]]; then
        case "$STEPCAST_LOCAL_REDIS_AOF" in yes|no) ;; *) die "STEPCAST_LOCAL_REDIS_AOF must be yes or no";; esac
        REDIS_AOF="$STEPCAST_LOCAL_REDIS_AOF"
        write_cluster_env
      fi
      start_redis "$REDIS_AOF" ;;
    redis-[1-6]) start_redis_node "${what#redis-}" ;;
    nginx) start_nginx ;;
    demo) resolve_bridge_cli_jar; write_cluster_env; start_demo ;;
  esac
}

case "$cmd" in
  status)
    for name in $(component_names); do
      if pid="$(running_pid "$name")"; then
        state="running (pid $pid)"
        if [[ "$name" == gateway-* ]]; then
          n="${name#gateway-}"
          state+=", port $(gateway_port "$n"), readiness $(http_status "$BIND_HOST" "$(gateway_port "$n")" "$READY_PATH")"
        fi
      else
        state="stopped"
      fi
      printf '%-12s %s\n' "$name" "$state"
    done
    ;;
  stop) name="$(component)"; stop_process "$name" TERM "$STOP_TIMEOUT" ;;
  kill) name="$(component)"; kill_process "$name" ;;
  start) component >/dev/null; start_component ;;
  restart) name="$(component)"; stop_process "$name" TERM "$STOP_TIMEOUT"; start_component ;;
  rolling-restart)
    for (( num = 1; num <= GATEWAYS; num++ )); do
      stop_process "gateway-$num" TERM "$STOP_TIMEOUT"
      start_gateway "$num"
      wait_gateway_ready "$num"
    done
    ;;
  wait-ready)
    for (( n = 1; n <= GATEWAYS; n++ )); do wait_gateway_ready "$n"; done ;;
  -h|--help|help) sed -n '2,/^source/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "unknown command '$cmd' (try ctl.sh help)" ;;
esac
