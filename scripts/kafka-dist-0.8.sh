#!/usr/bin/env bash
# Resolves Apache Kafka 0.8.x (org.apache.kafka:kafka_2.10) from Maven Central into a flat directory of
# jars, the equivalent of the libs/ folder of the 0.8.2.2 binary distribution: the broker and the old
# Scala tools (TopicCommand, ConsoleProducer, ConsoleConsumer, ...), with ZooKeeper, zkclient, the
# Scala 2.10 library and log4j 1. The sibling of kafka-dist.sh, whose artifact names (kafka_2.13,
# kafka-tools, ...) only exist from Kafka 2.x/3.x on.
#
#   scripts/kafka-dist-0.8.sh 0.8.2.2     # prints .cache/kafka/0.8.2.2/libs
#
# Idempotent: a complete libs dir (marked by .complete) is reused without running Maven.
set -euo pipefail

if [[ $# -ne 1 || ! $1 =~ ^0\.8\.[0-9]+(\.[0-9]+)?$ ]]; then
  echo "usage: $0 <kafka 0.8 version, e.g. 0.8.2.2>" >&2
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

command -v mvn >/dev/null || { echo "kafka-dist-0.8: mvn not found (apt-get install -y maven)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kafka-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT

# kafka_2.10 brings kafka-clients, zookeeper, zkclient, metrics-core, scala-library, jopt-simple,
# snappy-java, lz4 and log4j 1.2; slf4j-log4j12 is the binding Kafka's download ships.
cat >"$work/pom.xml" <<EOP
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>samsa.scratch</groupId>
  <artifactId>kafka-dist</artifactId>
  <version>$version</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.10</artifactId><version>$version</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-log4j12</artifactId><version>1.7.6</version></dependency>
  </dependencies>
</project>
EOP

mvn_args=(-B -q -f "$work/pom.xml")
[[ -n ${MAVEN_REPO_LOCAL:-} ]] && mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")

rm -rf "$libs" "$dist/.complete"
mkdir -p "$libs"
echo "kafka-dist-0.8: resolving Apache Kafka $version from Maven Central into $libs" >&2
mvn "${mvn_args[@]}" dependency:copy-dependencies \
  -DoutputDirectory="$libs" -DincludeScope=runtime -DexcludeTransitive=false >&2

for required in "kafka_2.10-$version.jar" "kafka-clients-$version.jar"; do
  [[ -f $libs/$required ]] || { echo "kafka-dist-0.8: $required missing after resolution" >&2; exit 1; }
done

cat >"$dist/log4j.properties" <<'EOP'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOP

touch "$dist/.complete"
echo "$libs"
