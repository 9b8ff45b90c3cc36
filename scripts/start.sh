#!/usr/bin/env bash
# The main job on a fresh Debian/Ubuntu machine (as root): install, build, start boxlabd on its default
# socket, bake the offline busybox image into it, and leave the engine running in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-packages.sh
if [ "$(id -u)" != 0 ]; then echo "start: run as root (boxlabd runs containers)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${BUILD_PACKAGES[@]}" "${ENGINE_PACKAGES[@]}" docker.io
npm ci --no-audit --no-fund
npm run build
node bin/run.js engine start &
engine=$!
trap 'kill $engine 2>/dev/null' INT TERM
for _ in $(seq 1 100); do [ -S /run/boxlab/docker.sock ] && break; sleep 0.1; done
node bin/run.js image bake busybox
echo "boxlabd is running. In another shell: export DOCKER_HOST=unix:///run/boxlab/docker.sock; docker run --rm busybox echo hello"
wait $engine
