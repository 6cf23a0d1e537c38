#!/usr/bin/env bash
# Runs `samsa topics`, the equivalent of Kafka's bin/kafka-topics.sh:
#   scripts/samsa-topics.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/topics.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" topics "$@"
