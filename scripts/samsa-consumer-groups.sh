#!/usr/bin/env bash
# Runs `samsa consumer-groups`, the equivalent of Kafka's bin/kafka-consumer-groups.sh:
#   scripts/samsa-consumer-groups.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/consumer-groups.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" consumer-groups "$@"
