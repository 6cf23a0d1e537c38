#!/usr/bin/env bash
# Prepares kafka-python's own test suite: its source distribution from PyPI (pinned below; the tests run
# against the kafka package inside it) and a virtualenv with requirements.txt, all under
# .cache/kafka-python-suite (never committed). Idempotent; prints the source dir.
#
# The sdist ships test/ without test/__init__.py and test/service.py, which test/integration imports;
# shim/ beside this script provides both (only ExternalService, for KAFKA_URI, is needed).
set -euo pipefail
version=3.0.12
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=$root/.cache/kafka-python-suite
src=$cache/kafka_python-$version
venv=$cache/venv
mkdir -p "$cache/kafka-root"
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
want=$(sha256sum "$here/requirements.txt" | cut -c1-16)
if [[ ! -f $venv/.installed || $(cat "$venv/.installed") != "$want" ]]; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" >"$venv/.installed"
fi
if [[ ! -f $src/pyproject.toml ]]; then
  "$venv/bin/pip" download -q --disable-pip-version-check --no-binary :all: --no-deps \
    "kafka-python==$version" -d "$cache" >&2
  tar -xzf "$cache/kafka_python-$version.tar.gz" -C "$cache"
fi
touch "$src/test/__init__.py"
cp "$here/shim/service.py" "$src/test/service.py"
echo "$src"
