#!/usr/bin/env bash
# Installs Debian's zookeeper package (3.8: its jars in /usr/share/java, config in /etc/zookeeper/conf),
# which scripts/zookeeper-server-start.sh and the cluster-mode tests run. Run as root; idempotent.
# The package's own service is not used: the scripts start ZooKeeper with config/zookeeper.properties.
set -euo pipefail
if ! dpkg-query -W -f='${Status}' zookeeper 2>/dev/null | grep -q 'install ok installed'; then
  echo "setup-zookeeper: apt-get install zookeeper" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends zookeeper >/dev/null
fi
test -f /usr/share/java/zookeeper.jar
