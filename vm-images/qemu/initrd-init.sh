#!/bin/sh
# boxlab VM stage 1 (/init of the initramfs, which holds the whole system: busybox, dropbear, runc,
# iptables, node, boxlab). Files are served from RAM because virtio disk reads are slow under TCG
# (~7 MB/s measured; node alone is 86 MB). runc needs pivot_root, which the initramfs mount itself
# (rootfs) refuses; a bind mount of it moved over / is an ordinary mount that can be pivoted, with no
# copy (copying into a tmpfs cost ~8 s here). Stage 2 (init.sh) mounts the data disk, in parallel with
# everything else it starts.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo "BOXLAB-STAGE1 $(cut -d' ' -f1 /proc/uptime)" > /dev/console
mkdir -p /newroot
mount --bind / /newroot
mount --move /dev /newroot/dev; umount /proc /sys
# not switch_root: it would empty the initramfs, which is the very tree the bind mount shows
cd /newroot && mount --move . / && exec chroot . /sbin/boxlab-init
