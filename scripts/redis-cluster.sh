#!/usr/bin/env bash
# A throw-away 3-master Redis Cluster on 127.0.0.1 for the tests (issue #15), from Debian's
# redis-server and redis-cli (scripts/install-test-deps.sh installs both: redis-tools comes with
# redis-server). Everything lives in DIR; nothing is left behind by `stop`.
#   scripts/redis-cluster.sh start DIR PORT1 PORT2 PORT3   # prints "ready" once cluster_state:ok
#   scripts/redis-cluster.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?DIR}
case "$cmd" in
start)
  ports=("${@:3}")
  [ "${#ports[@]}" -eq 3 ] || { echo "redis-cluster: three ports needed" >&2; exit 2; }
  mkdir -p "$dir"
  for p in "${ports[@]}"; do
    mkdir -p "$dir/$p"
    redis-server --port "$p" --bind 127.0.0.1 --protected-mode yes --save '' --appendonly no \
      --cluster-enabled yes --cluster-config-file "$dir/$p/nodes.conf" --cluster-node-timeout 5000 \
      --dir "$dir/$p" --daemonize yes --pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log"
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 1 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.05; done
  done
  redis-cli --cluster create "127.0.0.1:${ports[0]}" "127.0.0.1:${ports[1]}" "127.0.0.1:${ports[2]}" \
    --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1
  for _ in $(seq 1 200); do
    ok=1
    for p in "${ports[@]}"; do
      redis-cli -p "$p" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
    done
    if [ "$ok" = 1 ]; then echo ready; exit 0; fi
    sleep 0.05
  done
  echo "redis-cluster: not ok in time" >&2
  cat "$dir/create.log" >&2
  exit 1
  ;;
stop)
  for pidfile in "$dir"/*/redis.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  done
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start DIR P1 P2 P3 | stop DIR" >&2
  exit 2
  ;;
esac
