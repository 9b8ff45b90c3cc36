// buildQemuArgs: the qemu-system-x86_64 command line for one sandbox, built apart from running it (like
// lima's qemu.Cmdline) so every flag is unit-tested. Why these flags: -nodefaults/-no-user-config give a
// machine with only the devices listed here; the kernel is the uncompressed vmlinux booted through PVH
// (no firmware, no decompression); the disk is a qcow2 overlay (savevm/loadvm snapshots live in it);
// slirp user networking forwards one host port on 127.0.0.1 to the guest's sshd, nothing listens on
// other interfaces; QMP on a unix socket in the vm dir is how boxlab talks to QEMU afterwards.

export const QEMU_ACCELERATORS = ['kvm', 'tcg'] as const;
export type QemuAccelerator = (typeof QEMU_ACCELERATORS)[number];

export interface QemuMachine {
  name: string;
  vmDir: string;
  accel: QemuAccelerator;
  cpus: number;
  memoryMiB: number;
  kernel: string;
  initrd: string;
  /** the per-VM qcow2 overlay */
  disk: string;
  sshPort: number;
  /** files the guest reads under /sys/firmware/qemu_fw_cfg/by_name/opt/boxlab/<key>/raw */
  fwCfg: Record<string, string>;
  /** a second NIC on a shared lab network: a multicast socket every VM of the lab joins */
  labNetwork?: { mcast: string; mac: string };
  /** start from a savevm snapshot instead of booting */
  loadvm?: string;
}

/**
 * The CPU QEMU emulates under TCG. Not `max`: with AVX and friends the guest's kernel and glibc pick
 * instruction paths that TCG emulates slowly (kernel + initramfs unpack measured 4.6-5.5 s with `max`,
 * 3.1-3.4 s with Nehalem). Nehalem is x86-64-v2 (SSE4.2, POPCNT), enough for node 20, runc and docker.
 */
export const TCG_CPU = 'Nehalem';

/**
 * The guest kernel's command line. Under TCG it adds `mitigations=off` (ADR 0029): the emulated Nehalem
 * makes the kernel turn on page-table isolation, retpolines and buffer clearing, and under TCG each
 * syscall's page-table switch flushes QEMU's software TLB; the mitigations protect the guest's kernel from
 * the guest's own programs, all the student's as root, and nothing of the host (the translated code runs
 * in QEMU's process either way). Measured: `node -e 0` 0.8 -> 0.55 s, `docker version` 0.4 -> 0.27 s,
 * a `docker run` 3.7 -> 2.7 s, `lab test 09` in the vm 59 -> 49 s.
 */
export function kernelCommandLine(accel: QemuAccelerator): string {
  return ['console=ttyS0', 'rdinit=/init', 'quiet', 'panic=-1', ...(accel === 'tcg' ? ['mitigations=off'] : [])].join(' ');
}

/**
 * The translation cache QEMU keeps for TCG, in MiB. QEMU 7.2's default is 1 GiB, and it is resident memory
 * of the qemu process on top of the guest's RAM: a 1.5 GiB docker node's qemu held 1.9 GiB (ADR 0029).
 */
export const TCG_TB_MIB = 256;

export function buildQemuArgs(m: QemuMachine): string[] {
  const args = [
    '-name', `boxlab-${m.name},process=boxlab-${m.name}`,
    '-nodefaults', '-no-user-config',
    ...(m.accel === 'kvm' ? ['-machine', 'pc,accel=kvm'] : ['-machine', 'pc', '-accel', `tcg,tb-size=${TCG_TB_MIB}`]),
    '-cpu', m.accel === 'kvm' ? 'host' : TCG_CPU,
    '-smp', String(m.cpus),
    '-m', `${m.memoryMiB}M`,
    '-display', 'none',
    '-serial', `file:${m.vmDir}/serial.log`,
    '-qmp', `unix:${m.vmDir}/qmp.sock,server=on,wait=off`,
    '-pidfile', `${m.vmDir}/qemu.pid`,
    '-daemonize',
    '-kernel', m.kernel,
    '-initrd', m.initrd,
    '-append', kernelCommandLine(m.accel),
    '-drive', `file=${m.disk},format=qcow2,if=virtio,cache=unsafe`,
    '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${m.sshPort}-:22`,
    '-device', 'virtio-net-pci,netdev=net0',
    '-device', 'virtio-rng-pci',
  ];
  if (m.labNetwork) {
    args.push('-netdev', `socket,id=lab0,mcast=${m.labNetwork.mcast}`, '-device', `virtio-net-pci,netdev=lab0,mac=${m.labNetwork.mac}`);
  }
  for (const [key, file] of Object.entries(m.fwCfg).sort()) {
    if (!/^[a-z0-9_-]+$/.test(key)) throw new Error(`invalid fw_cfg key "${key}"`);
    args.push('-fw_cfg', `name=opt/boxlab/${key},file=${file}`);
  }
  if (m.loadvm) args.push('-loadvm', m.loadvm);
  return args;
}

/** a stable locally administered MAC per VM name on a lab network */
export function labMac(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const b = [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff];
  return ['52', '54', '00', ...b.map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

/**
 * a lab network name -> one multicast group:port, the same for every VM of one boxlab home that names it.
 * The home (`scope`, the folder of the VM folders) is part of it: the multicast group is host-wide, and two
 * homes on one host that both run the Swarm labs' manager1, worker1, worker2 on l30-swarm (two students,
 * or CI next to a developer) would otherwise share one segment, with the same addresses and MACs
 */
export function labMulticast(network: string, scope = ''): string {
  let h = 0;
  for (const c of scope ? `${scope}\0${network}` : network) h = (h * 131 + c.charCodeAt(0)) >>> 0;
  return `230.0.${(h >>> 8) % 250}.${(h % 250) + 1}:${20000 + (h % 20000)}`;
}
