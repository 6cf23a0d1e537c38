#!/usr/bin/env bash
# Installs what Samsa's build and tests need on a fresh machine of the project's kind (Debian with
# Node 20, npm 11, Java 17 and Maven already present). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "setup: $1 is required ($2)" >&2
    exit 1
  }
}
need node "Node.js 20"
need npm "npm 11"
need java "Java 17, for the Kafka artefacts the compat tests read"
need mvn "Maven, to fetch Kafka's jars from Maven Central"

# Native codecs: zstd-napi builds its bundled zstd with node-gyp (allowed in package.json allowScripts).
npm ci --no-audit --no-fund
