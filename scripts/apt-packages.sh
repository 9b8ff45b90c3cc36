# The Debian packages boxlab needs, in one place (sourced by the set-up scripts).
# The engine (boxlabd) and its tools:
ENGINE_PACKAGES=(runc iptables iproute2 procps kmod attr busybox-static debootstrap ca-certificates)
# Native npm modules (node-pty, better-sqlite3) compile at `npm ci`:
BUILD_PACKAGES=(build-essential python3)
# Test oracles and clients: the real docker CLI (docker.io also brings Debian's dockerd, the reference engine
# for the benchmark), a real registry, skopeo/umoci, hyperfine for the benchmarks; docker-compose 1.29, the
# compose client of every sandbox (ADR 0015; the VM image recipe copies it from this host).
TEST_PACKAGES=(docker.io docker-compose docker-registry skopeo umoci hyperfine chromium fonts-wqy-microhei openssh-server)
# Sandboxes: QEMU (TCG when KVM does not work) and what the VM image recipe packs (dropbear, sftp-server,
# cpio; binutils strips the binaries it copies; containerd and tini for the docker engine variant)
VM_PACKAGES=(qemu-system-x86 qemu-utils dropbear-bin openssh-sftp-server cpio binutils containerd tini)
