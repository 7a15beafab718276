#!/usr/bin/env bash
# The lock: hashed requirement files compiled by uv from pyproject.toml.
#   requirements/lock.sh            re-resolve, keeping every current pin that still fits
#   requirements/lock.sh --upgrade  bump everything to the newest versions that fit
#   requirements/lock.sh --check    fail when pyproject.toml and the lock disagree
# The files carry versions and hashes only, no index addresses: uv and pip install them from
# the default package index.
set -euo pipefail
cd "$(dirname "$0")/.."
uv="${UV:-.tools/bin/uv}"
mode="${1:-}"
out="."
if [ "$mode" = "--check" ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  cp requirements*.txt "$out/"
fi
upgrade=()
[ "$mode" = "--upgrade" ] && upgrade=(--upgrade)
compile() {  # compile OUTPUT INPUT... [OPTIONS]
  local target="$1"; shift
  "$uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "requirements/lock.sh" -o "$out/$target" "$@"
}
compile requirements-dev.txt pyproject.toml --extra dev "${upgrade[@]}"
cp "$out/requirements-dev.txt" "$out/requirements.txt"   # runtime pins = dev pins, less the dev tools
compile requirements.txt pyproject.toml
compile requirements-build.txt requirements/build.in "${upgrade[@]}"
compile requirements-uv.txt requirements/uv.in "${upgrade[@]}"
if [ "$mode" = "--check" ]; then
  for f in requirements.txt requirements-dev.txt requirements-build.txt requirements-uv.txt; do
    if ! diff -u "$f" "$out/$f" >/dev/null; then
      echo "$f does not match pyproject.toml: run 'make lock' and commit the diff" >&2
      diff -u "$f" "$out/$f" | head -40 >&2
      exit 1
    fi
  done
  echo "lock is up to date with pyproject.toml"
fi
