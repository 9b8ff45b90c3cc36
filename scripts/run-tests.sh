#!/usr/bin/env bash
# `npm test`: the whole suite. Builds, runs the unit tier, bakes every lab image once, then runs three
# lanes at the same time, each a mocha of its own, its lines prefixed with its name (ADR 0033):
#   host   the integration tier, then the e2e files that use this host's engine (browser, classroom)
#   vm     the e2e files on QEMU sandbox vms (labs of each track on two vms, multi-node, the provider),
#          then the second set of Swarm nodes (test/e2e/vm/swarm-lab-sets.ts says which labs)
#   swarm  the first set of three docker nodes and its Swarm labs (mostly waiting on Swarm's timers)
# They share no engine, state folder or vm: the integration tier drives this host's runc, iptables and
# engines; the vms have their own (user-mode networking, a multicast lab network per boxlab home). What
# they share is read-only once baked (the bake cache) or built under a lock (vm images, one at a time per
# cache). Every lane runs to its end even when another fails; the exit status is non-zero if one failed.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

step() { # name, command...: a sequential step, with its time
  local name=$1 t0=$SECONDS
  shift
  echo "== $name"
  "$@" || { echo "== $name FAILED after $((SECONDS - t0)) s"; exit 1; }
  echo "== $name: $((SECONDS - t0)) s"
}

lane() { # name, npm scripts...: runs each script in turn, every line prefixed with the lane's name
  local name=$1 t0=$SECONDS status=0
  shift
  for script in "$@"; do
    local s0=$SECONDS
    if npm run --silent "$script" 2>&1 | sed -u "s/^/[$name] /"; then
      echo "[$name] == $script: passed in $((SECONDS - s0)) s"
    else
      echo "[$name] == $script: FAILED after $((SECONDS - s0)) s"
      status=1
    fi
  done
  echo "[$name] == lane ended after $((SECONDS - t0)) s"
  return $status
}

step build npm run build
step unit npm run test:unit
# the vm images preload what is baked when they are built: bake it all first, so no lane's image build
# misses an image the integration tier would have baked meanwhile (and no image is built twice)
# (into the bake cache: the archive itself is not needed, so it goes to /dev/null instead of 380 MB in /tmp)
step 'bake every lab image' node bin/run.js image bake busybox debian nginx redis httpd python network-tools registry --output /dev/null

lane host test:integration test:e2e:host &
host=$!
lane vm test:e2e:vm &
vm=$!
lane swarm test:e2e:swarm &
swarm=$!

failed=()
wait $host || failed+=(host)
wait $vm || failed+=(vm)
wait $swarm || failed+=(swarm)
echo "== all tiers: $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED lanes: ${failed[*]} (search the log for \"FAILED\" and each lane's \"failing\")"
  exit 1
fi
