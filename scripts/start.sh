#!/usr/bin/env bash
# The main job on a fresh Debian/Ubuntu machine (as root): install, build, then run the web lab server
# (`boxlab serve`) with a sandbox. By default the sandbox is this host (the `local` provider: no VM boundary,
# for development and CI): serve starts boxlabd on /run/boxlab/docker.sock, and this script bakes the offline
# busybox image into it. BOXLAB_PROVIDER=qemu ./scripts/start.sh puts the sandbox in a QEMU VM instead (KVM
# when it works, else TCG; the VM image is built offline from this host's packages and has busybox baked in).
# Open the printed http://127.0.0.1:<port>/?token=... address. Other arguments go to `boxlab serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-packages.sh
if [ "$(id -u)" != 0 ]; then echo "start: run as root (boxlabd runs containers)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
provider=${BOXLAB_PROVIDER:-local}
case "$provider" in
  local) vm_packages=() ;;
  qemu) vm_packages=("${VM_PACKAGES[@]}") ;;
  *) echo "start: BOXLAB_PROVIDER must be local or qemu here (got $provider); use boxlab serve for the others" >&2; exit 2 ;;
esac
apt-get install -y -q --no-install-recommends "${BUILD_PACKAGES[@]}" "${ENGINE_PACKAGES[@]}" docker.io "${vm_packages[@]}"
npm ci --no-audit --no-fund
npm run build
if [ "$provider" = qemu ]; then exec node bin/run.js serve --provider qemu "$@"; fi
node bin/run.js serve --provider local "$@" &
serve=$!
trap 'kill $serve 2>/dev/null' INT TERM
for _ in $(seq 1 300); do [ -S /run/boxlab/docker.sock ] && break; sleep 0.1; done
node bin/run.js image bake busybox
wait $serve
