#!/usr/bin/env bash
# Stops everything deploy/local/up.sh started, by pid file: the demo orchestrator, the gateways
# (SIGTERM: they drain their clients first), nginx, then Redis. Safe to run twice.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$LOCAL_DIR/components.sh"

if [[ ! -f "$CLUSTER_ENV" ]]; then
  log "nothing to stop: no cluster recorded in $RUN_DIR"
  exit 0
fi
load_cluster_env

stop_process demo TERM 10
# Gateways drain in parallel: each sends its clients `reconnect` and closes them with 1012.
for (( n = 1; n <= GATEWAYS; n++ )); do stop_process "gateway-$n" TERM "$STOP_TIMEOUT" & done
wait
stop_process nginx TERM 10
if redis_external; then
  log "the Redis Cluster is an existing one (REDIS_CLUSTER_URI): left running"
elif [[ "${REDIS_CLUSTER:-no}" == yes ]]; then
  for (( n = 1; n <= 6; n++ )); do stop_process "redis-$n" TERM 10; done
else
  stop_process redis TERM 10
fi
log "stopped (logs kept in $RUN_DIR/logs)"
