#!/usr/bin/env bash
# Runs `samsa console-consumer`, the equivalent of Kafka's bin/kafka-console-consumer.sh:
#   scripts/samsa-console-consumer.sh --bootstrap-server localhost:9092 [options]   (--help lists them)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/console-consumer.js" ]; then
  (cd "$here" && npm run -s build)
fi
exec node "$here/bin/samsa.js" console-consumer "$@"
