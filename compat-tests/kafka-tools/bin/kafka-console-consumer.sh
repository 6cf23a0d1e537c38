#!/usr/bin/env bash
# kafka-console-consumer.sh of a Kafka download, for the version in $KAFKA_VERSION (see tool.sh).
exec "$(dirname "${BASH_SOURCE[0]}")/tool.sh" kafka-console-consumer "$@"
