#!/usr/bin/env bash
# Installs every client that compat-tests/ drives, on a fresh Debian machine of the project's kind
# (Node 20 with npm, Python 3, Java 17 and Maven already present). Run as root. Idempotent: a step whose
# result is already in place is skipped, so a second run takes seconds.
#
#   scripts/setup-compat.sh
#
# What it installs, and where:
#   Debian   kcat (librdkafka 2.0.2), python3-kafka (kafka-python 2.0.2 for /usr/bin/python3) with the
#            python3-snappy/-lz4/-zstandard codecs it imports, and the headers librdkafka builds against
#   Debian   zookeeper 3.8 (scripts/setup-zookeeper.sh), for cluster mode and its tests
#   .cache/venv           newest kafka-python and confluent-kafka from PyPI, with their codec modules
#   .cache/compat-node    kafkajs 2.2.4 + kafkajs-snappy, kafkajs-lz4, @kafkajs/zstd, and
#                         @confluentinc/kafka-javascript (librdkafka built from its bundled source)
#   .cache/kafka/3.9.2    Apache Kafka's jars (scripts/kafka-dist.sh), for SAMSA_COMPAT_TARGET=kafka
#   .cache/librdkafka-tests/<v>  librdkafka's test runner; .cache/kafka-python-suite  kafka-python's tests
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
started=$SECONDS
say() { echo "setup-compat: $*" >&2; }

# --- Debian packages -------------------------------------------------------------------------------
apt_pkgs=(kcat python3-kafka python3-snappy python3-lz4 python3-zstandard python3-venv
  build-essential python3 pkg-config
  zlib1g-dev libssl-dev libzstd-dev libcurl4-openssl-dev libsasl2-dev liblz4-dev)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/python3 -c 'import kafka, snappy, lz4.frame, zstandard; assert kafka.__version__ == "2.0.2", kafka.__version__'

# --- ZooKeeper 3.8 (Debian), for cluster mode -----------------------------------------------------
"$root/scripts/setup-zookeeper.sh"

# --- Python venv with the newest PyPI clients ------------------------------------------------------
venv=$root/.cache/venv
if [[ ! -x $venv/bin/python ]]; then
  say "creating $venv"
  python3 -m venv "$venv"
fi
# `--upgrade` makes this the newest release each run; compat-tests/*/README.md name the tested version.
"$venv/bin/pip" install -q --disable-pip-version-check --upgrade \
  kafka-python confluent-kafka python-snappy lz4 zstandard crc32c
"$venv/bin/python" -c 'import kafka, confluent_kafka; print("setup-compat: venv kafka-python", kafka.__version__, "confluent-kafka", confluent_kafka.__version__, "librdkafka", confluent_kafka.libversion()[0])' >&2

# --- Node clients in their own prefix --------------------------------------------------------------
# Kept out of the main package.json. The native ones build from source (no prebuilt download works here):
# cppzst (under @kafkajs/zstd) and lz4 need C++17 for Node 20's headers; @confluentinc/kafka-javascript
# builds its bundled librdkafka, linked dynamically against Debian's zlib/OpenSSL/zstd/curl/SASL/lz4.
prefix=$root/.cache/compat-node
manifest=$root/compat-tests/harness/node-clients.json
lock=$root/compat-tests/harness/node-clients.lock.json
stamp=$prefix/.installed
want=$( (cat "$manifest"; [[ ! -f $lock ]] || cat "$lock") | sha256sum | cut -c1-16)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  say "installing node clients into $prefix (builds librdkafka; takes minutes)"
  mkdir -p "$prefix"
  cp "$manifest" "$prefix/package.json"
  if [[ -f $lock ]]; then cp "$lock" "$prefix/package-lock.json"; cmd=ci; else cmd=install; fi
  CXXFLAGS="-std=c++17" CKJS_LINKING=dynamic \
    npm "$cmd" --prefix "$prefix" --no-audit --no-fund --foreground-scripts >"$prefix/install.log" 2>&1 || {
    tail -n 60 "$prefix/install.log" >&2
    exit 1
  }
  echo "$want" >"$stamp"
fi
(cd "$prefix" && node -e '
  const k = require("kafkajs"); require("kafkajs-snappy"); require("kafkajs-lz4"); require("@kafkajs/zstd")();
  const c = require("@confluentinc/kafka-javascript");
  console.error("setup-compat: node kafkajs", require("kafkajs/package.json").version, "kafka-javascript",
    require("@confluentinc/kafka-javascript/package.json").version, "librdkafka", c.librdkafkaVersion);')

# --- The clients' own test suites (compat-tests/*-suite/setup.sh; each idempotent) -----------------
# librdkafka's tests/test-runner built from the source bundled above (minutes, once), and kafka-python's
# sdist with a virtualenv of its test tools. franz-go's tests come from the Go module proxy at test time.
"$root/compat-tests/librdkafka-suite/setup.sh" >/dev/null
"$root/compat-tests/kafka-python-suite/setup.sh" >/dev/null

# --- Apache Kafka jars, for running the suite against Kafka ----------------------------------------
"$root/scripts/kafka-dist.sh" 3.9.2 >/dev/null

say "done in $((SECONDS - started)) s"
