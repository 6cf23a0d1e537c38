#!/usr/bin/env bash
# Dumps and verifies segment files offline, like Kafka's bin/kafka-dump-log.sh:
#   scripts/samsa-dump-log.sh --files /tmp/kafka-logs/t-0/00000000000000000000.log [--print-data-log] [--verify]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$here/dist/cli/main.js" ] || [ ! -f "$here/dist/cli/dump-log.js" ]; then
  (cd "$here" && npm run -s build)
fi

exec node "$here/bin/samsa.js" dump-log "$@"
