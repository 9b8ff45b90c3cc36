#!/usr/bin/env bash
# The main job on a fresh Debian/Ubuntu machine (as root): install, build, then run the web lab server
# (`boxlab serve`) with a sandbox. By default the sandbox is this host (the `local` provider: no VM boundary,
# for development and CI): serve starts boxlabd on /run/boxlab/docker.sock, and this script bakes the offline
# busybox image into it. BOXLAB_PROVIDER=qemu ./scripts/start.sh puts the sandbox in a QEMU VM instead (KVM
# when it works, else TCG; the VM image is built offline from this host's packages and has busybox baked in).
# Open the printed http://127.0.0.1:<port>/?token=... address (the same one on every start; `--new-token`
# replaces the token). Other arguments go to `boxlab serve`. A second start skips what is already done:
# apt when every package is installed, npm ci when package-lock.json has not changed, the build when no
# source changed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-packages.sh
if [ "$(id -u)" != 0 ]; then echo "start: run as root (boxlabd runs containers)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
provider=${BOXLAB_PROVIDER:-local}
case "$provider" in
  local) vm_packages=() ;;
  qemu) vm_packages=("${VM_PACKAGES[@]}") ;;
  *) echo "start: BOXLAB_PROVIDER must be local or qemu here (got $provider); use boxlab serve for the others" >&2; exit 2 ;;
esac

packages=("${BUILD_PACKAGES[@]}" "${ENGINE_PACKAGES[@]}" docker.io "${vm_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "start: installing ${#missing[@]} Debian packages: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

scripts/npm-ci-if-changed.sh

# build again only when a source file is newer than the last build
built=dist/.boxlab-build-stamp
if [ ! -e "$built" ] || [ -n "$(find src bin bench test scripts package.json tsconfig*.json -newer "$built" -print -quit 2>/dev/null)" ]; then
  echo "start: building..."
  npm run build --silent
  touch "$built"
fi

if [ "$provider" = qemu ]; then exec node bin/run.js serve --provider qemu "$@"; fi

# serve's output goes to the terminal and to a file, so its address can be printed again, last, after the bake
out=$(mktemp /tmp/boxlab-start.XXXXXX)
node bin/run.js serve --provider local "$@" > >(tee "$out") &
serve=$!
trap 'kill $serve 2>/dev/null; rm -f "$out"' INT TERM EXIT
for _ in $(seq 1 300); do [ -S /run/boxlab/docker.sock ] && break; kill -0 $serve 2>/dev/null || break; sleep 0.1; done
node bin/run.js image bake busybox
for _ in $(seq 1 100); do grep -q 'boxlab is ready' "$out" && break; kill -0 $serve 2>/dev/null || break; sleep 0.1; done
if grep -q 'boxlab is ready' "$out"; then
  echo
  echo "  ============================================================"
  grep -E 'boxlab is ready|from other machines' "$out"
  echo "  ============================================================"
  echo "  (Ctrl-C stops the page and the engine)"
fi
wait $serve
