#!/bin/sh
# boxlab VM stage 2 (/sbin/boxlab-init, PID 1): a shell script instead of systemd because it reaches SSH
# in ~5 s under TCG instead of ~15 s (shared/notes/feasibility.md 4.4). It mounts the kernel's
# filesystems, turns on cgroup v2 controllers for runc, configures the slirp network (10.0.2.15/24) and the
# optional lab network, starts dropbear (sshd) and boxlabd, loads the baked images, and says READY on the
# serial console. Per-VM facts (ssh key, hostname, lab address, peers) arrive through QEMU's fw_cfg.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm; mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo "+cpuset +cpu +io +memory +pids" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
modprobe virtio_net; modprobe virtio_rng; modprobe qemu_fw_cfg
# what the engine's networking needs, loaded up front (iptables-nft fails with "Could not fetch rule
# set generation id" when nf_tables is not loaded yet); in the background while sshd starts
( for m in nf_tables nft_compat nft_chain_nat nft_masq xt_MASQUERADE xt_nat xt_addrtype xt_conntrack xt_comment \
    xt_tcpudp xt_mark xt_multiport iptable_nat iptable_filter overlay veth bridge br_netfilter; do modprobe $m; done
  touch /run/boxlab-modules; echo "BOXLAB-MODULES $(cut -d' ' -f1 /proc/uptime)" > /dev/ttyS0 ) &
modules_pid=$!
cfg() { f=/sys/firmware/qemu_fw_cfg/by_name/opt/boxlab/$1/raw; [ -r "$f" ] && cat "$f"; }
name=$(cfg hostname); hostname "${name:-boxlab}"
echo "127.0.0.1 localhost" > /etc/hosts; echo "127.0.1.1 $(hostname)" >> /etc/hosts
ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
echo 'nameserver 10.0.2.3' > /etc/resolv.conf
labaddr=$(cfg lab-address)
if [ -n "$labaddr" ]; then ip link set eth1 up; ip addr add "$labaddr" dev eth1; cfg lab-hosts >> /etc/hosts; fi
mkdir -p /root/.ssh; chmod 700 /root/.ssh
cfg authorized_keys > /root/.ssh/authorized_keys.new && [ -s /root/.ssh/authorized_keys.new ] && mv /root/.ssh/authorized_keys.new /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys 2>/dev/null
dropbear -s -p 22 -r /etc/dropbear/dropbear_ed25519_host_key
echo "BOXLAB-SSH $(cut -d' ' -f1 /proc/uptime)" > /dev/ttyS0
mkdir -p /run/boxlab /var/log
wait $modules_pid
# the bundled engine starts in ~1/4 of the CLI's time under TCG; the CLI is the fallback
if [ -f /opt/boxlab/boxlabd.mjs ]; then set -- node /opt/boxlab/boxlabd.mjs /run/boxlab/docker.sock /var/lib/boxlab
else set -- node /opt/boxlab/bin/run.js engine start --socket /run/boxlab/docker.sock --root /var/lib/boxlab; fi
echo "boot: node started at uptime $(cut -d" " -f1 /proc/uptime) s" >> /var/log/boxlabd.log
setsid "$@" >> /var/log/boxlabd.log 2>&1 < /dev/null &
(
  # no short cap: under TCG on a busy host the engine's first start has taken over a minute
  i=0; while [ ! -S /run/boxlab/docker.sock ] && [ $i -lt 6000 ]; do sleep 0.1; i=$((i+1)); done
  if [ ! -S /run/boxlab/docker.sock ]; then
    { echo "BOXLAB-ENGINE-FAILED"; tail -n 20 /var/log/boxlabd.log; } > /dev/ttyS0
    exit 1
  fi
  echo "BOXLAB-ENGINE $(cut -d' ' -f1 /proc/uptime)" > /dev/ttyS0
  export DOCKER_HOST=unix:///run/boxlab/docker.sock
  for t in /opt/boxlab/images/*.tar; do
    [ -f "$t" ] || continue; m=/var/lib/boxlab/.loaded-$(basename "$t")
    [ -e "$m" ] || { docker load -q -i "$t" >> /var/log/boxlabd.log 2>&1 && touch "$m"; }
  done
  touch /run/boxlab/ready
  echo "BOXLAB-READY $(cut -d' ' -f1 /proc/uptime)" > /dev/ttyS0
) &
while true; do wait; sleep 5; done
