#!/usr/bin/env bash
# Stops running ZooKeeper servers with SIGTERM, like Kafka's bin/zookeeper-server-stop.sh.
set -uo pipefail
pids=$(ps ax -o pid=,args= | grep -E 'java.*org\.apache\.zookeeper\.server\.quorum\.QuorumPeerMain' | grep -v grep | awk '{print $1}')
if [ -z "$pids" ]; then
  echo "No zookeeper server to stop"
  exit 1
fi
kill -s TERM $pids
