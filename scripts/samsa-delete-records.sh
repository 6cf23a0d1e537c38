#!/usr/bin/env bash
# Runs `samsa delete-records`, the equivalent of Kafka's bin/kafka-delete-records.sh:
#   scripts/samsa-delete-records.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/delete-records.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" delete-records "$@"
