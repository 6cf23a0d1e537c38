#!/usr/bin/env bash
# Runs a main class of a stock Apache Kafka release, as the kafka-run-class.sh of Kafka's download does:
#
#   KAFKA_VERSION=4.1.2 compat-tests/kafka-tools/bin/kafka-run-class.sh org.apache.kafka.tools.TopicCommand --list ...
#
# The jars come from Maven Central (never committed): scripts/kafka-dist.sh <version> (every version,
# 0.8.x included), into .cache/kafka/<version>/libs. Environment:
#   KAFKA_VERSION               3.9.2 (default) | 4.1.2 | 0.8.2.2
#   KAFKA_LIBS                  a libs dir to use instead of resolving one
#   KAFKA_JAVA_HOME / JAVA_HOME the JDK (default: the Java 17 in /usr/lib/jvm, else `java` on PATH)
#   KAFKA_HEAP_OPTS             default -Xmx512M, as Kafka's tools scripts
#   KAFKA_JVM_PERFORMANCE_OPTS  default favours start-up time (short-lived tools): serial GC, C1 only
#   KAFKA_OPTS                  extra JVM options, as in Kafka's scripts
# Logging goes to stderr at WARN, as Kafka's tools-log4j.properties does.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 <main class> [args...]" >&2
  exit 2
fi
main=$1
shift

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
version=${KAFKA_VERSION:-3.9.2}
major=${version%%.*}

if [[ -n ${KAFKA_LIBS:-} ]]; then
  libs=$KAFKA_LIBS
else
  libs=$(bash "$root/scripts/kafka-dist.sh" "$version")
fi
dist=$(dirname "$libs")

java_home=${KAFKA_JAVA_HOME:-${JAVA_HOME:-}}
if [[ -z $java_home && -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
  java_home=/usr/lib/jvm/java-17-openjdk-amd64
fi
java=java
[[ -n $java_home ]] && java="$java_home/bin/java"

if ((major >= 4)); then
  log_opts=("-Dlog4j2.configurationFile=file:$dist/log4j2.yaml")
else
  log_opts=("-Dlog4j.configuration=file:$dist/log4j.properties")
fi

# shellcheck disable=SC2206 # these variables hold option lists, split on spaces as Kafka's scripts do
heap=(${KAFKA_HEAP_OPTS:--Xmx512M})
# shellcheck disable=SC2206
perf=(${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true})
# shellcheck disable=SC2206
extra=(${KAFKA_OPTS:-})

exec "$java" "${heap[@]}" "${perf[@]}" "${log_opts[@]}" "${extra[@]}" -cp "$libs/*" "$main" "$@"
