#!/usr/bin/env bash
# Drives Apache Kafka's own Java clients, through the stock command-line tools of one Kafka release
# (jars from scripts/kafka-dist.sh), against the recording proxy: topics, configs, quotas, SCRAM users,
# ACLs, the console producer (idempotent by default) with each codec, a transactional
# ProducerPerformance, the console consumer in a classic group (and, with --consumer-protocol, a
# KIP-848 group), group and offset commands, DeleteRecords, log dirs, transactions, quorum, features,
# leader election and reassignment.
#
#   java-driver.sh <kafka version> <bootstrap server> [--consumer-protocol]
#
# A tool that a single-node Kafka refuses is still run (its error response is a fixture too); its
# failure is logged and the driver goes on.
set -uo pipefail

version=$1
b=$2
consumer_protocol=${3:-}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
libs=$("$root/scripts/kafka-dist.sh" "$version") || exit 1
dist=$(dirname "$libs")
major=${version%%.*}
tag=jv${major}
work=$(mktemp -d "${TMPDIR:-/tmp}/java-driver.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ((major >= 4)); then
  producer_class=org.apache.kafka.tools.ConsoleProducer
  acl_class=org.apache.kafka.tools.AclCommand
  api_versions_class=org.apache.kafka.tools.BrokerApiVersionsCommand
else
  producer_class=kafka.tools.ConsoleProducer
  acl_class=kafka.admin.AclCommand
  api_versions_class=kafka.admin.BrokerApiVersionsCommand
fi

# Runs one tool's main class; output goes to a log, a failure is reported and tolerated.
tool() {
  local class=$1
  shift
  if ! timeout 180 java -Xmx256m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$dist/log4j.properties" "-Dlog4j2.configurationFile=$dist/log4j2.yaml" \
    -cp "$libs/*" "$class" "$@" >"$work/out.log" 2>&1 </dev/null; then
    echo "java-driver $version: ${class##*.} $* failed:" >&2
    grep -vE '^\s*at |^$' "$work/out.log" | tail -n 3 | sed 's/^/    /' >&2
  fi
}

produce() {
  local topic=$1 codec=$2 n=$3
  shift 3
  for ((i = 1; i <= n; i++)); do echo "$codec-$i:$codec value $i $(printf 'j%.0s' $(seq 1 $((i * 8))))"; done >"$work/in.txt"
  timeout 180 java -Xmx256m -XX:TieredStopAtLevel=1 \
    "-Dlog4j.configuration=file:$dist/log4j.properties" "-Dlog4j2.configurationFile=$dist/log4j2.yaml" \
    -cp "$libs/*" "$producer_class" --bootstrap-server "$b" --topic "$topic" \
    --property parse.key=true --property key.separator=: \
    --producer-property compression.type="$codec" --producer-property linger.ms=20 "$@" \
    <"$work/in.txt" >"$work/out.log" 2>&1 || {
    echo "java-driver $version: console producer ($codec) failed" >&2
    tail -n 3 "$work/out.log" >&2
  }
}

T=org.apache.kafka.tools
tool $api_versions_class --bootstrap-server "$b"
tool $T.TopicCommand --bootstrap-server "$b" --create --topic $tag-events --partitions 2 --replication-factor 1 \
  --config retention.ms=3600000
tool $T.TopicCommand --bootstrap-server "$b" --create --topic $tag-other --partitions 1 --replication-factor 1
tool $T.TopicCommand --bootstrap-server "$b" --create --topic $tag-other --partitions 1 --replication-factor 1
tool $T.TopicCommand --bootstrap-server "$b" --list
tool $T.TopicCommand --bootstrap-server "$b" --describe --topic $tag-events
tool $T.TopicCommand --bootstrap-server "$b" --alter --topic $tag-other --partitions 2

tool kafka.admin.ConfigCommand --bootstrap-server "$b" --alter --entity-type topics --entity-name $tag-events \
  --add-config cleanup.policy=delete,retention.bytes=1048576
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --alter --entity-type topics --entity-name $tag-events \
  --delete-config retention.bytes
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --describe --entity-type topics --entity-name $tag-events
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --describe --entity-type brokers --entity-name 1 --all
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --alter --entity-type brokers --entity-name 1 \
  --add-config log.cleaner.backoff.ms=15000
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --alter --entity-type clients --entity-name $tag-client \
  --add-config producer_byte_rate=1048576,consumer_byte_rate=2097152
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --describe --entity-type clients --entity-name $tag-client
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --alter --entity-type users --entity-name $tag-user \
  --add-config 'SCRAM-SHA-256=[iterations=4096,password=secret]'
tool kafka.admin.ConfigCommand --bootstrap-server "$b" --describe --entity-type users --entity-name $tag-user

tool $acl_class --bootstrap-server "$b" --add --allow-principal User:$tag --operation Read --topic $tag-events
tool $acl_class --bootstrap-server "$b" --list
tool $acl_class --bootstrap-server "$b" --remove --force --allow-principal User:$tag --operation Read --topic $tag-events

for codec in gzip snappy lz4 zstd none; do produce $tag-events "$codec" 6; done
produce $tag-other none 3 --request-required-acks 1 --producer-property enable.idempotence=false
tool $T.ProducerPerformance --topic $tag-events --num-records 30 --record-size 40 --throughput -1 \
  --producer-props bootstrap.servers="$b" compression.type=zstd linger.ms=5 \
  --transactional-id $tag-txn --transaction-duration-ms 50

tool $T.consumer.ConsoleConsumer --bootstrap-server "$b" --topic $tag-events --group $tag-group --from-beginning \
  --max-messages 25 --timeout-ms 20000 --isolation-level read_committed \
  --consumer-property max.partition.fetch.bytes=16384
tool $T.consumer.ConsoleConsumer --bootstrap-server "$b" --topic $tag-other --partition 0 --offset earliest \
  --max-messages 3 --timeout-ms 10000
if [[ $consumer_protocol == --consumer-protocol ]]; then
  tool $T.consumer.ConsoleConsumer --bootstrap-server "$b" --topic $tag-events --group $tag-group-848 \
    --from-beginning --max-messages 10 --timeout-ms 20000 --consumer-property group.protocol=consumer
fi

G=$T.consumer.group.ConsumerGroupCommand
tool $G --bootstrap-server "$b" --list
tool $G --bootstrap-server "$b" --describe --group $tag-group
tool $G --bootstrap-server "$b" --describe --group $tag-group --members --verbose
tool $G --bootstrap-server "$b" --describe --all-groups --state
tool $G --bootstrap-server "$b" --reset-offsets --group $tag-group --topic $tag-events --to-earliest --execute
tool $G --bootstrap-server "$b" --delete-offsets --group $tag-group --topic $tag-events

tool $T.GetOffsetShell --bootstrap-server "$b" --topic $tag-events
tool $T.GetOffsetShell --bootstrap-server "$b" --topic $tag-events --time -2
tool $T.GetOffsetShell --bootstrap-server "$b" --topic $tag-events --time -3
echo "{\"partitions\":[{\"topic\":\"$tag-events\",\"partition\":0,\"offset\":2}],\"version\":1}" >"$work/delete.json"
tool $T.DeleteRecordsCommand --bootstrap-server "$b" --offset-json-file "$work/delete.json"
tool $T.LogDirsCommand --bootstrap-server "$b" --describe --topic-list $tag-events
tool $T.TransactionsCommand --bootstrap-server "$b" list
tool $T.TransactionsCommand --bootstrap-server "$b" describe --transactional-id $tag-txn
tool $T.TransactionsCommand --bootstrap-server "$b" describe-producers --topic $tag-events --partition 0
tool $T.MetadataQuorumCommand --bootstrap-server "$b" describe --status
tool $T.MetadataQuorumCommand --bootstrap-server "$b" describe --replication
tool $T.FeatureCommand --bootstrap-server "$b" describe
tool $T.ClusterTool cluster-id --bootstrap-server "$b"
tool $T.LeaderElectionCommand --bootstrap-server "$b" --election-type preferred --all-topic-partitions
echo "{\"version\":1,\"partitions\":[{\"topic\":\"$tag-other\",\"partition\":1,\"replicas\":[1]}]}" >"$work/reassign.json"
tool $T.reassign.ReassignPartitionsCommand --bootstrap-server "$b" --execute --reassignment-json-file "$work/reassign.json"
tool $T.reassign.ReassignPartitionsCommand --bootstrap-server "$b" --list
tool $T.reassign.ReassignPartitionsCommand --bootstrap-server "$b" --verify --reassignment-json-file "$work/reassign.json"

tool $G --bootstrap-server "$b" --delete --group $tag-group
tool $T.TopicCommand --bootstrap-server "$b" --delete --topic "$tag-.*"
echo "java-driver $version: done" >&2
