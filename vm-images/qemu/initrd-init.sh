#!/bin/sh
# boxlab VM stage 1 (/init of the initramfs, which holds the whole system: busybox, dropbear, runc,
# iptables, node, boxlab). Why not run from the initramfs directly: runc needs pivot_root, which the
# initramfs root (rootfs) refuses; so the files are copied into a tmpfs that becomes the real root
# (RAM is fast under TCG; reading the same files from a virtio disk was ~7 MB/s). The disk (a qcow2
# overlay per VM) holds only what must persist: /var/lib/boxlab (the engine's state), /root and /home.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t tmpfs -o mode=0755 tmpfs /newroot
for d in /*; do
  case $d in /newroot|/proc|/sys|/dev|/init) ;; *) cp -a "$d" /newroot/ ;; esac
done
mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/mnt/data
modprobe virtio_pci; modprobe virtio_blk; modprobe crc32c_generic; modprobe ext4
i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
if mount -t ext4 /dev/vda /newroot/mnt/data; then
  for p in var/lib/boxlab root home; do
    k=$(echo $p | tr / -)
    [ -d /newroot/mnt/data/$k ] || cp -a /newroot/$p /newroot/mnt/data/$k
    mount --bind /newroot/mnt/data/$k /newroot/$p
  done
else
  echo "boxlab: no data disk, state will not persist" > /dev/console
fi
mount --move /dev /newroot/dev; umount /proc /sys
exec switch_root /newroot /sbin/boxlab-init
