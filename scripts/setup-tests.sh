#!/usr/bin/env bash
# Installs what boxlab's test tiers need on a Debian/Ubuntu machine (as root), then the npm dependencies.
# Used by the README's test command and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-packages.sh
if [ "$(id -u)" != 0 ]; then echo "setup-tests: run as root (the engine tests need runc, mounts and cgroups)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${BUILD_PACKAGES[@]}" "${ENGINE_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${VM_PACKAGES[@]}"
# `docker compose` for the compose tests: the sandbox's plugin script (ADR 0015) where the docker CLI looks
install -D -m 755 vm-images/compose/docker-compose /usr/local/lib/docker/cli-plugins/docker-compose
scripts/npm-ci-if-changed.sh
