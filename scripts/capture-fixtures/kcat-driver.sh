#!/usr/bin/env bash
# Drives kcat (Debian's package, linked against Debian's librdkafka 2.0.2, older than the one that
# confluent-kafka bundles) through the recording proxy: metadata, produce with each codec, a balanced
# consumer group, and offset queries. Topics are auto-created by Kafka's default auto.create.topics.
#
#   kcat-driver.sh 127.0.0.1:19192
set -euo pipefail
broker=${1:-127.0.0.1:19192}
topic=kcat-events
common=(-b "$broker" -X client.id=samsa-golden-kcat)

kcat "${common[@]}" -L >/dev/null
for codec in gzip snappy lz4 zstd none; do
  for i in 1 2 3 4 5; do echo "$codec-key-$i:$codec value $i $(printf 'z%.0s' $(seq 1 $((i * 7))))"; done |
    kcat "${common[@]}" -P -t "$topic" -K: -z "$codec" -X linger.ms=20 -H "codec=$codec"
done
# acks=all with idempotence (InitProducerId), then a JSON metadata listing of the topic.
printf 'idem-1\nidem-2\n' | kcat "${common[@]}" -P -t "$topic" -X enable.idempotence=true -X linger.ms=20
kcat "${common[@]}" -L -t "$topic" -J >/dev/null
# A simple (assign-only) consumer, then a balanced consumer group that commits.
kcat "${common[@]}" -C -t "$topic" -p 0 -o beginning -e -q >/dev/null
kcat "${common[@]}" -G kcat-group "$topic" -o beginning -e -q -c 20 \
  -X enable.auto.commit=true -X auto.commit.interval.ms=200 >/dev/null
# Offsets by time (ListOffsets), the latest and the earliest.
kcat "${common[@]}" -Q -t "$topic:0:$(($(date +%s) * 1000 - 60000))" >/dev/null
kcat "${common[@]}" -Q -t "$topic:0:-1" >/dev/null
kcat "${common[@]}" -Q -t "$topic:0:-2" >/dev/null
echo "kcat-driver: done" >&2
