#!/usr/bin/env bash
# Runs a single-node Apache Kafka in KRaft mode (combined broker and controller) from the jars that
# scripts/kafka-dist.sh resolves, on loopback ports, with its data in a directory of the caller's.
#
#   scripts/kafka-kraft.sh start <version> <dir> [key=value ...]
#   scripts/kafka-kraft.sh stop <dir>
#
# start writes <dir>/server.properties (defaults below, then each key=value, later ones win), formats
# <dir>/data with a fixed cluster id, starts the JVM in the background (pid in <dir>/kafka.pid, output
# in <dir>/kafka.log) and returns once the broker listener accepts connections. Ports come from
# KAFKA_BROKER_PORT (default 19092) and KAFKA_CONTROLLER_PORT (19093); KAFKA_HEAP_OPTS as for Kafka's
# own scripts (default -Xmx1g). stop sends SIGTERM (a controlled shutdown), waits for the JVM to exit
# and only then, after a bounded wait, sends SIGKILL.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() {
  echo "usage: $0 start <version> <dir> [key=value ...] | stop <dir>" >&2
  exit 2
}

# Waits for a TCP port on 127.0.0.1 to accept a connection while pid lives; at most $3 tries, 0.5 s apart.
wait_for_port() {
  local port=$1 pid=$2 tries=$3
  for ((i = 0; i < tries; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  return 1
}

stop() {
  local dir=$1 pid
  [[ -f $dir/kafka.pid ]] || return 0
  pid=$(cat "$dir/kafka.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "kafka-kraft: pid $pid still running after 60 s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/kafka.pid"
}

start() {
  local version=$1 dir=$2
  shift 2
  local libs dist broker_port=${KAFKA_BROKER_PORT:-19092} controller_port=${KAFKA_CONTROLLER_PORT:-19093}
  libs=$("$root/scripts/kafka-dist.sh" "$version")
  dist=$(dirname "$libs")
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ -f $dir/kafka.pid ]] && kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
    echo "kafka-kraft: already running in $dir (pid $(cat "$dir/kafka.pid"))" >&2
    return 1
  fi

  {
    echo "process.roles=broker,controller"
    echo "node.id=1"
    echo "controller.quorum.voters=1@127.0.0.1:$controller_port"
    echo "listeners=PLAINTEXT://127.0.0.1:$broker_port,CONTROLLER://127.0.0.1:$controller_port"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$broker_port"
    echo "controller.listener.names=CONTROLLER"
    echo "inter.broker.listener.name=PLAINTEXT"
    echo "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT"
    echo "log.dirs=$dir/data"
    # One node: internal topics cannot have more replicas than that.
    echo "offsets.topic.replication.factor=1"
    echo "transaction.state.log.replication.factor=1"
    echo "transaction.state.log.min.isr=1"
    echo "share.coordinator.state.topic.replication.factor=1"
    echo "share.coordinator.state.topic.min.isr=1"
    for kv in "$@"; do echo "$kv"; done
  } >"$dir/server.properties"

  local java_opts=(${KAFKA_HEAP_OPTS:--Xmx1g} -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$dist/log4j.properties"
    "-Dlog4j2.configurationFile=$dist/log4j2.yaml"
    "-Dkafka.logs.dir=$dir/logs")

  if [[ ! -f $dir/data/meta.properties ]]; then
    # A fixed cluster id (any 16 bytes in base64url) keeps runs comparable.
    java "${java_opts[@]}" -cp "$libs/*" kafka.tools.StorageTool format \
      -t c2Ftc2EtZ29sZGVuLWJ5dA -c "$dir/server.properties" >"$dir/format.log" 2>&1 || {
      cat "$dir/format.log" >&2
      return 1
    }
  fi

  java "${java_opts[@]}" -cp "$libs/*" kafka.Kafka "$dir/server.properties" >"$dir/kafka.log" 2>&1 &
  echo $! >"$dir/kafka.pid"
  if ! wait_for_port "$broker_port" "$(cat "$dir/kafka.pid")" 240; then
    echo "kafka-kraft: Kafka $version did not start; last lines of $dir/kafka.log:" >&2
    tail -n 40 "$dir/kafka.log" >&2
    stop "$dir"
    return 1
  fi
  echo "kafka-kraft: Kafka $version (pid $(cat "$dir/kafka.pid")) on 127.0.0.1:$broker_port" >&2
}

case ${1:-} in
  start) (($# >= 3)) || usage; shift; start "$@" ;;
  stop) (($# == 2)) || usage; stop "$2" ;;
  *) usage ;;
esac
