#!/usr/bin/env bash
# Runs `samsa producer-perf-test`, the equivalent of Kafka's bin/kafka-producer-perf-test.sh:
#   scripts/samsa-producer-perf-test.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/producer-perf-test.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" producer-perf-test "$@"
