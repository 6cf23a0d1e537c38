#!/usr/bin/env bash
# Starts a single ZooKeeper server (Debian's zookeeper 3.8 package), like Kafka's
# bin/zookeeper-server-start.sh:
#   scripts/zookeeper-server-start.sh [-daemon] config/zookeeper.properties
# With -daemon it runs in the background, logging to logs/zookeeper.out (pid in logs/zookeeper.pid).
# Install the package with scripts/setup-zookeeper.sh (run by scripts/setup-compat.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] zookeeper.properties" >&2
  exit 1
fi
daemon=false
if [ "$1" = "-daemon" ]; then
  daemon=true
  shift
fi
cfg=$1
if [ ! -f /usr/share/java/zookeeper.jar ]; then
  echo "ZooKeeper is not installed: run scripts/setup-zookeeper.sh (as root)" >&2
  exit 1
fi
java=${JAVA:-java}
cmd=("$java" -Xmx512M -Xms512M -Dzookeeper.root.logger=INFO,CONSOLE -Dzookeeper.log.dir="$here/logs"
  -cp "/usr/share/java/*:/etc/zookeeper/conf" org.apache.zookeeper.server.quorum.QuorumPeerMain "$cfg")
if $daemon; then
  mkdir -p "$here/logs"
  nohup "${cmd[@]}" >"$here/logs/zookeeper.out" 2>&1 </dev/null &
  echo $! >"$here/logs/zookeeper.pid"
else
  exec "${cmd[@]}"
fi
