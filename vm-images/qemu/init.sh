#!/bin/sh
# boxlab VM stage 2 (/sbin/boxlab-init, PID 1): a shell script instead of systemd because it reaches SSH
# in ~5 s under TCG instead of ~15 s (shared/notes/feasibility.md 4.4). It mounts the kernel's
# filesystems and turns on cgroup v2 controllers for runc, then starts the slowest part first: boxlabd
# loading its code. Meanwhile the data disk is mounted, the kernel modules loaded, the slirp network
# (10.0.2.15/24) and the optional lab network configured, and dropbear (sshd) started; boxlabd starts
# serving once disk and modules are there, and init says READY on the serial console. Per-VM facts (ssh
# key, hostname, lab address, peers) arrive through QEMU's fw_cfg. BOXLAB-* lines on the console carry
# the uptime of each step (`boxlab vm` waits for BOXLAB-READY; the bench reads the rest).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm; mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo "+cpuset +cpu +io +memory +pids" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p /run/boxlab /var/log
now() { cut -d' ' -f1 /proc/uptime; }
echo "BOXLAB-STAGE2 $(now)" > /dev/ttyS0
# boxlabd loads its code while the rest comes up and starts serving after BOXLAB_START_AFTER appears
if [ -f /opt/boxlab/boxlabd-loader.cjs ]; then
  echo "boot: node started at uptime $(now) s" >> /var/log/boxlabd.log
  BOXLAB_START_AFTER=/run/boxlab/system-ready setsid node /opt/boxlab/boxlabd-loader.cjs /run/boxlab/docker.sock /var/lib/boxlab \
    >> /var/log/boxlabd.log 2>&1 < /dev/null &
fi

# The data disk (a qcow2 overlay per VM: savevm/loadvm snapshots live in it) holds what must persist:
# /var/lib/boxlab (the engine's state), /root, /home, and the folders an image variant lists in
# /etc/boxlab/persist. A first boot copies the image's version of each folder onto the disk.
data_disk() {
  modprobe virtio_blk; modprobe crc32c_generic; modprobe ext4
  i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
  mkdir -p /mnt/data
  if ! mount -t ext4 /dev/vda /mnt/data; then echo "boxlab: no data disk, state will not persist" > /dev/ttyS0; return; fi
  for p in var/lib/boxlab root home $(cat /etc/boxlab/persist 2>/dev/null); do
    k=$(echo "$p" | tr / -)
    mkdir -p "/$p"
    [ -d "/mnt/data/$k" ] || cp -a "/$p" "/mnt/data/$k"
    mount --bind "/mnt/data/$k" "/$p"
  done
  echo "BOXLAB-DISK $(now)" > /dev/ttyS0
}
# what the engine's networking needs, loaded up front (iptables-nft fails with "Could not fetch rule
# set generation id" when nf_tables is not loaded yet)
net_modules() {
  for m in nf_tables nft_compat nft_chain_nat nft_masq xt_MASQUERADE xt_nat xt_addrtype xt_conntrack xt_comment \
    xt_tcpudp xt_mark xt_multiport iptable_nat iptable_filter overlay veth bridge br_netfilter; do modprobe $m; done
  echo "BOXLAB-MODULES $(now)" > /dev/ttyS0
}
# virtio_pci first: the disk and both NICs hang off it (without it, eth0/eth1 never appear)
modprobe virtio_pci
data_disk & disk_pid=$!
net_modules & modules_pid=$!
modprobe virtio_net; modprobe virtio_rng; modprobe qemu_fw_cfg
# a NIC appears when its driver has probed it, which may come a moment after modprobe returns
link_wait() { i=0; while [ ! -e "/sys/class/net/$1" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i+1)); done; }
cfg() { f=/sys/firmware/qemu_fw_cfg/by_name/opt/boxlab/$1/raw; [ -r "$f" ] && cat "$f"; }
name=$(cfg hostname); hostname "${name:-boxlab}"; hostname > /etc/hostname
echo "127.0.0.1 localhost" > /etc/hosts; echo "127.0.1.1 $(hostname)" >> /etc/hosts
link_wait eth0; ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
echo 'nameserver 10.0.2.3' > /etc/resolv.conf
labaddr=$(cfg lab-address)
if [ -n "$labaddr" ]; then link_wait eth1; ip link set eth1 up; ip addr add "$labaddr" dev eth1; cfg lab-hosts >> /etc/hosts; fi
wait $disk_pid  # /root is on the data disk
mkdir -p /root/.ssh; chmod 700 /root/.ssh
cfg authorized_keys > /root/.ssh/authorized_keys.new && [ -s /root/.ssh/authorized_keys.new ] && mv /root/.ssh/authorized_keys.new /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys 2>/dev/null
dropbear -s -p 22 -r /etc/dropbear/dropbear_ed25519_host_key
echo "BOXLAB-SSH $(now)" > /dev/ttyS0
wait $modules_pid
touch /run/boxlab/system-ready
# an image variant's own services (the docker variant's dockerd): each started in the background
for h in /etc/boxlab/init.d/*; do [ -x "$h" ] && "$h" < /dev/null > /dev/null 2>&1 & done
# without the bundle (no esbuild where the image was built) the CLI starts the same engine, ~4x slower
if [ ! -f /opt/boxlab/boxlabd-loader.cjs ]; then
  setsid node /opt/boxlab/bin/run.js engine start --socket /run/boxlab/docker.sock --root /var/lib/boxlab \
    >> /var/log/boxlabd.log 2>&1 < /dev/null &
fi
(
  # no short cap: under TCG on a busy host the engine's first start has taken over a minute
  i=0; while [ ! -S /run/boxlab/docker.sock ] && [ $i -lt 6000 ]; do sleep 0.1; i=$((i+1)); done
  if [ ! -S /run/boxlab/docker.sock ]; then
    { echo "BOXLAB-ENGINE-FAILED"; tail -n 20 /var/log/boxlabd.log; } > /dev/ttyS0
    exit 1
  fi
  echo "BOXLAB-ENGINE $(now)" > /dev/ttyS0
  export DOCKER_HOST=unix:///run/boxlab/docker.sock
  for t in /opt/boxlab/images/*.tar; do
    [ -f "$t" ] || continue; m=/var/lib/boxlab/.loaded-$(basename "$t")
    [ -e "$m" ] || { docker load -q -i "$t" >> /var/log/boxlabd.log 2>&1 && touch "$m"; }
  done
  touch /run/boxlab/ready
  echo "BOXLAB-READY $(now)" > /dev/ttyS0
) &
while true; do wait; sleep 5; done
