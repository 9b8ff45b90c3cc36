// The memory a VM really takes on this host, and inside: a qemu process's resident set (VmRSS in
// /proc/<pid>/status: the guest RAM it has touched plus qemu's own), and the guest's used memory as
// `free` counts it (MemTotal - MemAvailable of the guest's /proc/meminfo). `lab stop` says how much
// stopping the nodes frees from the first; the bench reports both per node.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** VmRSS of a /proc/<pid>/status text, in MiB (undefined when absent). Pure. */
export function parseVmRssMiB(status: string): number | undefined {
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB$/m);
  return m ? Math.round(Number(m[1]) / 1024) : undefined;
}

/** MemTotal - MemAvailable of a /proc/meminfo text, in MiB: what the guest's programs and kernel hold. Pure. */
export function parseUsedMiB(meminfo: string): number | undefined {
  const total = meminfo.match(/^MemTotal:\s+(\d+)\s+kB$/m);
  const available = meminfo.match(/^MemAvailable:\s+(\d+)\s+kB$/m);
  return total && available ? Math.round((Number(total[1]) - Number(available[1])) / 1024) : undefined;
}

/** the resident memory of a qemu vm's process (its vm dir holds qemu.pid); undefined when it does not run */
export async function qemuRssMiB(vmDir: string): Promise<number | undefined> {
  const pid = Number((await fs.readFile(path.join(vmDir, 'qemu.pid'), 'utf8').catch(() => '')).trim());
  if (!pid) return undefined;
  const [status, cmdline] = await Promise.all([fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''), fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')]);
  return cmdline.includes(vmDir) ? parseVmRssMiB(status) : undefined;
}
