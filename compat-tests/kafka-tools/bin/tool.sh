#!/usr/bin/env bash
# The body of every kafka-*.sh wrapper beside this file: maps the script's name to the main class that
# the same script runs in Kafka's download of $KAFKA_VERSION, and runs it with kafka-run-class.sh.
# A tool that the version does not ship exits 127 with a message, as a missing script would.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool=$1
shift
version=${KAFKA_VERSION:-3.9.2}
major=${version%%.*}

# Per version line: the classes of bin/<tool>.sh in Kafka 0.8.2, 3.9 and 4.1.
case "$major:$tool" in
  0:kafka-topics) class=kafka.admin.TopicCommand ;;
  0:kafka-console-producer) class=kafka.tools.ConsoleProducer ;;
  0:kafka-console-consumer) class=kafka.tools.ConsoleConsumer ;;
  0:kafka-producer-perf-test) class=kafka.tools.ProducerPerformance ;;
  0:kafka-consumer-perf-test) class=kafka.tools.ConsumerPerformance ;;
  0:kafka-get-offsets) class=kafka.tools.GetOffsetShell ;; # 0.8.2 ships it as kafka-run-class.sh only
  0:kafka-dump-log) class=kafka.tools.DumpLogSegments ;;
  [34]:kafka-topics) class=org.apache.kafka.tools.TopicCommand ;;
  3:kafka-console-producer) class=kafka.tools.ConsoleProducer ;;
  4:kafka-console-producer) class=org.apache.kafka.tools.ConsoleProducer ;;
  [34]:kafka-console-consumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  [34]:kafka-consumer-groups) class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  [34]:kafka-configs) class=kafka.admin.ConfigCommand ;;
  [34]:kafka-producer-perf-test) class=org.apache.kafka.tools.ProducerPerformance ;;
  [34]:kafka-consumer-perf-test) class=org.apache.kafka.tools.ConsumerPerformance ;;
  [34]:kafka-get-offsets) class=org.apache.kafka.tools.GetOffsetShell ;;
  [34]:kafka-delete-records) class=org.apache.kafka.tools.DeleteRecordsCommand ;;
  [34]:kafka-dump-log) class=kafka.tools.DumpLogSegments ;;
  *)
    echo "$tool.sh: not part of Kafka $version" >&2
    exit 127
    ;;
esac
exec "$here/kafka-run-class.sh" "$class" "$@"
