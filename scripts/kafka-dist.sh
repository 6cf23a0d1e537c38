#!/usr/bin/env bash
# Resolves Apache Kafka <version> from Maven Central into a flat directory of jars, the equivalent of
# the libs/ folder of Kafka's binary distribution: the broker (KafkaRaftServer), the storage tool, the
# console tools (kafka-tools), the Java clients and their runtime dependencies, plus a log4j backend.
# Kafka 0.8.x ships as one Scala 2.10 artifact (kafka_2.10: the broker and the old Scala tools,
# TopicCommand, ConsoleProducer, ConsoleConsumer, with ZooKeeper, zkclient and log4j 1).
#
#   scripts/kafka-dist.sh 3.9.2      # prints .cache/kafka/3.9.2/libs
#
# Idempotent: a complete libs dir (marked by .complete) is reused without running Maven. The local Maven
# repository is the user's default (~/.m2) unless MAVEN_REPO_LOCAL is set. Run a class with
#   java -cp "$(scripts/kafka-dist.sh 3.9.2)/*" kafka.Kafka server.properties
set -euo pipefail

if [[ $# -ne 1 || ! $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+(\.[0-9]+)?$ ]]; then
  echo "usage: $0 <kafka version, e.g. 0.8.2.2, 3.9.2 or 4.1.2>" >&2
  exit 2
fi
version=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist="$root/.cache/kafka/$version"
libs="$dist/libs"

if [[ -f $dist/.complete && -d $libs ]]; then
  echo "$libs"
  exit 0
fi

command -v mvn >/dev/null || { echo "kafka-dist: mvn not found (apt-get install -y maven)" >&2; exit 1; }

major=${version%%.*}
k=org.apache.kafka
dep() { echo "    <dependency><groupId>$1</groupId><artifactId>$2</artifactId><version>$3</version></dependency>"; }
if ((major == 0)); then
  # kafka_2.10 brings kafka-clients, zookeeper, zkclient, metrics-core, scala-library, jopt-simple,
  # snappy-java, lz4 and log4j 1.2; slf4j-log4j12 is the binding Kafka's 0.8 download ships.
  deps="$(dep $k kafka_2.10 "$version")
$(dep org.slf4j slf4j-log4j12 1.7.6)"
  required=("kafka_2.10-$version.jar" "kafka-clients-$version.jar")
else
  # kafka_2.13 brings the broker, the controller and (transitively) kafka-clients, kafka-server-common,
  # kafka-storage, kafka-metadata, kafka-raft and kafka-group-coordinator; kafka-tools brings the console
  # tools and ConsumerGroupCommand. Test-scoped and optional dependencies are left out, as in Kafka's libs/.
  deps=""
  for a in kafka_2.13 kafka-tools kafka-clients kafka-server-common kafka-storage kafka-metadata kafka-raft \
    kafka-group-coordinator; do
    deps+="$(dep $k $a "$version")"$'\n'
  done
  # Kafka 3.x logs through log4j 1 (reload4j on the classpath); Kafka 4.x moved to log4j 2.
  if ((major >= 4)); then
    deps+="$(dep org.apache.logging.log4j log4j-slf4j-impl 2.24.3)
$(dep org.apache.logging.log4j log4j-core 2.24.3)"
  else
    deps+="$(dep org.slf4j slf4j-reload4j 1.7.36)
$(dep ch.qos.reload4j reload4j 1.2.25)"
  fi
  required=("kafka_2.13-$version.jar" "kafka-clients-$version.jar" "kafka-tools-$version.jar"
    "kafka-storage-$version.jar" "kafka-server-common-$version.jar")
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kafka-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat >"$work/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>samsa.scratch</groupId>
  <artifactId>kafka-dist</artifactId>
  <version>$version</version>
  <packaging>pom</packaging>
  <dependencies>
$deps
  </dependencies>
</project>
EOF

mvn_args=(-B -q -f "$work/pom.xml")
[[ -n ${MAVEN_REPO_LOCAL:-} ]] && mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")

rm -rf "$libs" "$dist/.complete"
mkdir -p "$libs"
echo "kafka-dist: resolving Apache Kafka $version from Maven Central into $libs" >&2
mvn "${mvn_args[@]}" dependency:copy-dependencies \
  -DoutputDirectory="$libs" -DincludeScope=runtime -DexcludeTransitive=false >&2

for jar in "${required[@]}"; do
  [[ -f $libs/$jar ]] || { echo "kafka-dist: $jar missing after resolution" >&2; exit 1; }
done

# A minimal logging config beside libs/: warnings to stderr only (the broker's own run may override).
if ((major >= 4)); then
  cat >"$dist/log4j2.yaml" <<'EOF'
Configuration:
  Appenders:
    Console:
      name: STDERR
      target: SYSTEM_ERR
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDERR
EOF
fi
cat >"$dist/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF

touch "$dist/.complete"
echo "$libs"
