#!/usr/bin/env bash
# Builds librdkafka's own test runner from the sources bundled in @confluentinc/kafka-javascript
# (installed into .cache/compat-node by scripts/setup-compat.sh), into .cache/librdkafka-tests/<version>
# (a copy: the installed package stays untouched; never committed). Idempotent; prints the tests dir.
#
#   compat-tests/librdkafka-suite/setup.sh      # first run: a few minutes (make -j2 test-runner)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=$root/.cache/compat-node/node_modules/@confluentinc/kafka-javascript/deps/librdkafka
if [[ ! -f $src/src/rdkafka.h ]]; then
  echo "librdkafka-suite: $src is missing: run scripts/setup-compat.sh" >&2
  exit 1
fi
# The version from rdkafka.h (RD_KAFKA_VERSION 0xMMmmrrxx).
hex=$(sed -n 's/^#define RD_KAFKA_VERSION *0x\([0-9a-fA-F]*\).*/\1/p' "$src/src/rdkafka.h")
version=$((16#${hex:0:2})).$((16#${hex:2:2})).$((16#${hex:4:2}))
dest=$root/.cache/librdkafka-tests/$version
if [[ ! -x $dest/tests/test-runner ]]; then
  echo "librdkafka-suite: building librdkafka $version tests in $dest" >&2
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  cp -a "$src" "$dest"
  make -C "$dest/tests" -j"$(nproc)" test-runner >"$dest/build.log" 2>&1 || {
    tail -n 40 "$dest/build.log" >&2
    exit 1
  }
fi
echo "$dest/tests"
