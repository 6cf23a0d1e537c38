#!/usr/bin/env bash
# Captures golden frames from real clients talking to a real Apache Kafka, into src/protocol/fixtures/.
#
#   scripts/capture-fixtures/run.sh            # every client
#   scripts/capture-fixtures/run.sh kafkajs kcat   # only these fixture folders are rewritten
#
# Each fixture folder is written by one client against one broker: a single-node KRaft Kafka whose
# advertised listener is the recording proxy (proxy.ts), so every connection of the client, including
# those opened after Metadata, passes through it. The proxy is restarted per folder. The broker's own
# traffic (controller quorum, inter-broker) uses listeners that bypass the proxy.
#
# Needs: java 17+, mvn, node 20, python3 (venv), kcat (apt-get install kcat; skipped if missing), and
# the package registries for the first run. Everything downloaded goes under .cache/. Takes a few
# minutes; not run in CI. Everything it starts is stopped on exit.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
here=scripts/capture-fixtures
out=src/protocol/fixtures
broker_port=19092
controller_port=19093
interbroker_port=19094
proxy_port=19192

KAFKAJS_VERSION=2.2.4
KAFKA_PYTHON_VERSION=3.0.12
CONFLUENT_KAFKA_VERSION=2.16.1

all=(kafkajs librdkafka kcat kafka-python java-3.9 java-4.1 java-4.1-kafka-4.1 librdkafka-kafka-4.1)
selected=("$@")
((${#selected[@]})) || selected=("${all[@]}")
wanted() {
  local x
  for x in "${selected[@]}"; do [[ $x == "$1" ]] && return 0; done
  return 1
}
for x in "${selected[@]}"; do
  [[ " ${all[*]} " == *" $x "* ]] || { echo "run.sh: unknown fixture folder '$x' (one of: ${all[*]})" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/capture-fixtures.XXXXXX")
proxy_pid=
failures=()

cleanup() {
  if [[ -n $proxy_pid ]] && kill -0 "$proxy_pid" 2>/dev/null; then
    kill -TERM "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
  fi
  local d
  for d in "$work"/kafka-*; do [[ -d $d ]] && scripts/kafka-kraft.sh stop "$d"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $broker_port $controller_port $interbroker_port $proxy_port; do
  port_free $p || { echo "run.sh: port $p on 127.0.0.1 is in use" >&2; exit 1; }
done

# ---- client installs, all under .cache/ -------------------------------------------------------------
scripts/kafka-dist.sh 3.9.2 >/dev/null
scripts/kafka-dist.sh 4.1.2 >/dev/null

node_prefix=.cache/capture-node
if ! grep -qs "\"version\": \"$KAFKAJS_VERSION\"" $node_prefix/node_modules/kafkajs/package.json; then
  mkdir -p $node_prefix
  npm install --prefix $node_prefix --no-save --no-audit --no-fund "kafkajs@$KAFKAJS_VERSION" >&2
fi

venv=.cache/capture-py
if ! $venv/bin/python -c "
import importlib.metadata as m, sys
sys.exit(m.version('kafka-python') != '$KAFKA_PYTHON_VERSION' or m.version('confluent-kafka') != '$CONFLUENT_KAFKA_VERSION')
" 2>/dev/null; then
  python3 -m venv $venv
  $venv/bin/pip install -q "kafka-python==$KAFKA_PYTHON_VERSION" "confluent-kafka==$CONFLUENT_KAFKA_VERSION" \
    lz4 zstandard python-snappy >&2
fi
rdk_version=$($venv/bin/python -c 'import confluent_kafka; print(confluent_kafka.libversion()[0])')

have_kcat=true
command -v kcat >/dev/null || {
  echo "run.sh: kcat not installed (apt-get install -y kcat); its fixtures are left as they are" >&2
  have_kcat=false
}
kcat_version=$($have_kcat && kcat -V 2>&1 | sed -nE 's/^Version ([^ ]+) .*librdkafka ([^ ]+) .*/kcat \1, librdkafka \2/p' || true)

# ---- broker and proxy ---------------------------------------------------------------------------------
start_kafka() {
  local version=$1
  KAFKA_BROKER_PORT=$broker_port KAFKA_CONTROLLER_PORT=$controller_port \
    scripts/kafka-kraft.sh start "$version" "$work/kafka-$version" \
    "listeners=PLAINTEXT://127.0.0.1:$broker_port,BROKER://127.0.0.1:$interbroker_port,CONTROLLER://127.0.0.1:$controller_port" \
    "advertised.listeners=PLAINTEXT://127.0.0.1:$proxy_port,BROKER://127.0.0.1:$interbroker_port" \
    inter.broker.listener.name=BROKER \
    group.coordinator.rebalance.protocols=classic,consumer \
    authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer \
    allow.everyone.if.no.acl.found=true super.users=User:ANONYMOUS \
    group.initial.rebalance.delay.ms=0
}

stop_kafka() { scripts/kafka-kraft.sh stop "$work/kafka-$1"; }

# capture <folder> <description> <command...>: records one client's run into $out/<folder>.
capture() {
  local folder=$1 description=$2
  shift 2
  wanted "$folder" || return 0
  echo "run.sh: capturing $folder ($description)" >&2
  rm -rf "${out:?}/$folder"
  rm -f "$work/proxy.ready"
  node --import tsx $here/proxy.ts --listen $proxy_port --target $broker_port --out "$out/$folder" \
    --ready-file "$work/proxy.ready" &
  proxy_pid=$!
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -f $work/proxy.ready ]] && break
    kill -0 "$proxy_pid" 2>/dev/null || break
    sleep 0.2
  done
  [[ -f $work/proxy.ready ]] || { echo "run.sh: proxy did not start" >&2; exit 1; }
  if ! "$@"; then
    echo "run.sh: the $folder driver failed" >&2
    failures+=("$folder")
  fi
  kill -TERM "$proxy_pid"
  wait "$proxy_pid" || true
  proxy_pid=
  printf '%s\n' "$description" >"$out/$folder/SOURCE"
}

b=127.0.0.1:$proxy_port

if wanted kafkajs || wanted librdkafka || wanted kcat || wanted kafka-python || wanted java-3.9 || wanted java-4.1; then
  start_kafka 3.9.2
  capture kafkajs "kafkajs $KAFKAJS_VERSION against Apache Kafka 3.9.2 (KRaft)" \
    env CAPTURE_NODE_MODULES=$node_prefix/node_modules node $here/kafkajs-driver.mjs $b
  capture librdkafka "confluent-kafka $CONFLUENT_KAFKA_VERSION (librdkafka $rdk_version) against Apache Kafka 3.9.2 (KRaft)" \
    $venv/bin/python $here/librdkafka_driver.py $b
  if $have_kcat; then
    capture kcat "$kcat_version (Debian) against Apache Kafka 3.9.2 (KRaft)" $here/kcat-driver.sh $b
  fi
  capture kafka-python "kafka-python $KAFKA_PYTHON_VERSION against Apache Kafka 3.9.2 (KRaft)" \
    $venv/bin/python $here/kafka_python_driver.py $b
  capture java-3.9 "Apache Kafka 3.9.2 Java clients (command-line tools) against Apache Kafka 3.9.2 (KRaft)" \
    $here/java-driver.sh 3.9.2 $b
  capture java-4.1 "Apache Kafka 4.1.2 Java clients (command-line tools) against Apache Kafka 3.9.2 (KRaft)" \
    $here/java-driver.sh 4.1.2 $b --consumer-protocol
  stop_kafka 3.9.2
fi

# A 4.1 broker lets 4.1-era clients use their newest versions (Produce v12+, Fetch v18, KIP-848 v1).
if wanted java-4.1-kafka-4.1 || wanted librdkafka-kafka-4.1; then
  start_kafka 4.1.2
  capture java-4.1-kafka-4.1 "Apache Kafka 4.1.2 Java clients (command-line tools) against Apache Kafka 4.1.2 (KRaft)" \
    $here/java-driver.sh 4.1.2 $b --consumer-protocol
  capture librdkafka-kafka-4.1 "confluent-kafka $CONFLUENT_KAFKA_VERSION (librdkafka $rdk_version) against Apache Kafka 4.1.2 (KRaft)" \
    $venv/bin/python $here/librdkafka_driver.py $b --consumer-protocol
  stop_kafka 4.1.2
fi

echo "run.sh: fixtures per folder:" >&2
for folder in "${selected[@]}"; do
  [[ -d $out/$folder ]] && printf '  %-22s %4d files, %s\n' "$folder" \
    "$(find "$out/$folder" -name '*.hex' | wc -l)" "$(du -sh --apparent-size "$out/$folder" | cut -f1)" >&2
done
if ((${#failures[@]})); then
  echo "run.sh: drivers that failed: ${failures[*]}" >&2
  exit 1
fi
