#!/usr/bin/env bash
# Runs `samsa configs`, the equivalent of Kafka's bin/kafka-configs.sh:
#   scripts/samsa-configs.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/configs.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" configs "$@"
