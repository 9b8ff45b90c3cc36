#!/bin/sh
# boxlab VM stage 1 (/init of the initramfs, which holds the whole system: busybox, dropbear, runc,
# iptables, node, boxlab). Files are served from RAM because virtio disk reads are slow under TCG
# (~7 MB/s measured; node alone is 99 MB). runc needs pivot_root, which the initramfs mount itself
# (rootfs) refuses; a bind mount of it moved over / is an ordinary mount that can be pivoted, with no
# copy (copying into a tmpfs cost ~8 s here). The disk (a qcow2 overlay per VM) holds only what must
# persist: /var/lib/boxlab (the engine's state), /root and /home.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo "BOXLAB-STAGE1 $(cut -d' ' -f1 /proc/uptime)" > /dev/console
mkdir -p /newroot /mnt/data
mount --bind / /newroot
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
echo "BOXLAB-STAGE2 $(cut -d' ' -f1 /proc/uptime)" > /dev/console
mount --move /dev /newroot/dev; umount /proc /sys
# not switch_root: it would empty the initramfs, which is the very tree the bind mount shows
cd /newroot && mount --move . / && exec chroot . /sbin/boxlab-init
