#!/usr/bin/env bash
# Runs `samsa consumer-perf-test`, the equivalent of Kafka's bin/kafka-consumer-perf-test.sh:
#   scripts/samsa-consumer-perf-test.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/consumer-perf-test.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" consumer-perf-test "$@"
