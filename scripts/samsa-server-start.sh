#!/usr/bin/env bash
# Starts a Samsa broker, like Kafka's bin/kafka-server-start.sh:
#   scripts/samsa-server-start.sh [-daemon] config/server.properties [--override key=value ...]
# With -daemon the broker runs in the background and logs to logs/samsaServer.out.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*" >&2
  exit 1
fi

daemon=false
if [ "$1" = "-daemon" ]; then
  daemon=true
  shift
fi

if [ ! -f "$here/dist/cli/main.js" ]; then
  (cd "$here" && npm run -s build)
fi

if $daemon; then
  mkdir -p "$here/logs"
  nohup node "$here/bin/samsa.js" server-start "$@" >"$here/logs/samsaServer.out" 2>&1 </dev/null &
  echo $! >"$here/logs/samsaServer.pid"
else
  exec node "$here/bin/samsa.js" server-start "$@"
fi
