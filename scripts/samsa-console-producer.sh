#!/usr/bin/env bash
# Runs `samsa console-producer`, the equivalent of Kafka's bin/kafka-console-producer.sh:
#   scripts/samsa-console-producer.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/console-producer.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" console-producer "$@"
