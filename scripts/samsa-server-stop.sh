#!/usr/bin/env bash
# Stops running Samsa brokers with SIGTERM (a clean shutdown: in-flight requests finish, logs are
# flushed and checkpointed), like Kafka's bin/kafka-server-stop.sh. Pass a properties file to stop only
# the broker started with it.
set -uo pipefail
pattern='samsa\.js server-start'
[ $# -ge 1 ] && pattern="$pattern.*$1"
pids=$(ps ax -o pid=,args= | grep -E "$pattern" | grep -v grep | awk '{print $1}')
if [ -z "$pids" ]; then
  echo "No samsa server to stop"
  exit 1
fi
kill -s TERM $pids
