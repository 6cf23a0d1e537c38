#!/usr/bin/env bash
# Runs `samsa get-offsets`, the equivalent of Kafka's bin/kafka-get-offsets.sh:
#   scripts/samsa-get-offsets.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/get-offsets.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" get-offsets "$@"
