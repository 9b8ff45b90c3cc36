// Host preflight for a QEMU sandbox: is there memory for the guest's RAM and disk for its overlay (and
// for building the image the first time)? QEMU itself would start and then die or thrash half-way (the
// kernel's OOM killer, ENOSPC in the qcow2 overlay), so boxlab checks first and says, with numbers, what
// is missing and what to do. The parsers read /proc/meminfo and `df -Pk`; the checks are pure.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { run } from '../core/exec.js';

/** QEMU's own memory next to the guest's RAM (TCG translation cache, device models), measured ~100 MiB */
export const QEMU_OVERHEAD_MIB = 128;
/** room for a vm's qcow2 overlay to grow: the learner's images, containers and files */
export const VM_DISK_MIB = 1024;
/** building the image the first time: kernel and Debian packages, the initramfs, the root disk */
export const IMAGE_BUILD_MIB = 1536;

/** MemAvailable (what can be used without swapping), in MiB; kernels before 3.14 lack it: free + caches */
export function parseMemAvailableMiB(meminfo: string): number {
  const kb = (key: string) => {
    const m = meminfo.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  };
  const available = kb('MemAvailable') ?? (kb('MemFree') ?? NaN) + (kb('Buffers') ?? 0) + (kb('Cached') ?? 0);
  if (Number.isNaN(available)) throw new AppError('INTERNAL', 'cannot read the free memory from /proc/meminfo: no MemAvailable or MemFree line');
  return Math.floor(available / 1024);
}

/**
 * the memory this host can give VMs now, in MiB: MemAvailable on Linux; elsewhere (Multipass on macOS or
 * Windows has no /proc) what the OS calls free, which undercounts (caches it would give up are left out)
 */
export async function hostAvailableMiB(): Promise<number> {
  const meminfo = await fs.readFile('/proc/meminfo', 'utf8').catch(() => undefined);
  return meminfo === undefined ? Math.floor(os.freemem() / 1024 / 1024) : parseMemAvailableMiB(meminfo);
}

/** the "Available" column of `df -Pk <path>` (POSIX format: one line per filesystem, 1024-byte blocks), in MiB */
export function parseDfAvailableMiB(df: string): { availableMiB: number; mountedOn: string } {
  const line = df.trim().split('\n')[1];
  const cols = line?.trim().split(/\s+/) ?? [];
  // Filesystem 1024-blocks Used Available Capacity Mounted-on; a long device name cannot wrap with -P
  if (cols.length < 6 || !/^\d+$/.test(cols[3]!)) throw new AppError('INTERNAL', `cannot read the free space from df: ${JSON.stringify(line ?? df)}`);
  return { availableMiB: Math.floor(Number(cols[3]) / 1024), mountedOn: cols.slice(5).join(' ') };
}

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

export function checkVmMemory(vm: string, memoryMiB: number, availableMiB: number): void {
  const need = memoryMiB + QEMU_OVERHEAD_MIB;
  if (need <= availableMiB) return;
  const fits = Math.floor((availableMiB - QEMU_OVERHEAD_MIB) / 256) * 256;
  throw new AppError('FAILED_PRECONDITION', `not enough memory for vm "${vm}": it needs ${memoryMiB} MiB (+${QEMU_OVERHEAD_MIB} MiB for qemu), this host has ${availableMiB} MiB available`, {
    suggestions: [
      fits >= 512 ? `ask for less: --memory ${fits}M` : 'a sandbox needs at least 512M: free memory on this host first',
      'stop vms you are not using: boxlab vm list, boxlab vm stop <name>',
    ],
  });
}

export interface DiskNeed {
  /** what the space is for, e.g. 'the vm disk' */
  what: string;
  /** the folder it goes to and the mount it is on */
  dir: string;
  mountedOn: string;
  needMiB: number;
  availableMiB: number;
}

export function checkVmDisk(vm: string, needs: DiskNeed[]): void {
  // two needs on one filesystem add up
  const byMount = new Map<string, DiskNeed[]>();
  for (const n of needs) byMount.set(n.mountedOn, [...(byMount.get(n.mountedOn) ?? []), n]);
  for (const [mount, list] of byMount) {
    const need = list.reduce((s, n) => s + n.needMiB, 0);
    const available = list[0]!.availableMiB;
    if (need <= available) continue;
    const parts = list.map((n) => `${gib(n.needMiB)} for ${n.what} in ${n.dir}`).join(' and ');
    throw new AppError('FAILED_PRECONDITION', `not enough disk for vm "${vm}": it needs ${parts}, ${mount} has ${gib(available)} free`, {
      suggestions: [
        `free ${gib(need - available)} on ${mount}`,
        'delete vms you no longer need: boxlab vm list, boxlab vm delete <name>',
        'or keep vms elsewhere: BOXLAB_HOME=/bigger/disk/boxlab (images: BOXLAB_CACHE)',
      ],
    });
  }
}

/** reads the host and runs both checks for a qemu vm about to be created in vmsRoot */
export async function qemuPreflight(vm: string, memoryMiB: number, dirs: { vmsRoot: string; imageCache: string }): Promise<void> {
  checkVmMemory(vm, memoryMiB, parseMemAvailableMiB(await fs.readFile('/proc/meminfo', 'utf8')));
  const needs: DiskNeed[] = [{ what: 'the vm disk', dir: dirs.vmsRoot, needMiB: VM_DISK_MIB, ...(await freeSpace(dirs.vmsRoot)) }];
  if (!(await hasBuiltImage(dirs.imageCache))) needs.push({ what: 'building the vm image', dir: dirs.imageCache, needMiB: IMAGE_BUILD_MIB, ...(await freeSpace(dirs.imageCache)) });
  checkVmDisk(vm, needs);
}

async function freeSpace(dir: string): Promise<{ availableMiB: number; mountedOn: string }> {
  // the folder may not exist yet: df the nearest one that does
  let d = path.resolve(dir);
  while (!(await fs.stat(d).then(() => true, () => false)) && d !== path.dirname(d)) d = path.dirname(d);
  return parseDfAvailableMiB((await run('df', ['-Pk', d])).stdout);
}

async function hasBuiltImage(cache: string): Promise<boolean> {
  const entries = await fs.readdir(cache).catch(() => [] as string[]);
  for (const e of entries) if (await fs.stat(path.join(cache, e, 'image.json')).then(() => true, () => false)) return true;
  return false;
}
