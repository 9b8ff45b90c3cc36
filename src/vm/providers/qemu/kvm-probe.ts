// Is KVM really usable? /dev/kvm existing is not enough: on this project's CI machines it is a PVM
// device on which `qemu -accel kvm` asserts at once. So boxlab boots a probe VM (the real kernel,
// rdinit that does not exist, panic=-1 -no-reboot) under KVM and trusts KVM only when that kernel
// reaches its panic and QEMU exits cleanly within a few seconds. The answer is cached per host boot.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { QemuAccelerator } from './qemu-args.js';

export interface KvmProbeResult {
  accel: QemuAccelerator;
  reason: string;
}

export async function probeAccelerator(kernel: string, cacheDir: string): Promise<KvmProbeResult> {
  if (process.env.BOXLAB_QEMU_ACCEL === 'tcg') return { accel: 'tcg', reason: 'BOXLAB_QEMU_ACCEL=tcg' };
  const bootId = await fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => 'unknown');
  const cacheFile = path.join(cacheDir, 'kvm-probe.json');
  const cached = await fs.readFile(cacheFile, 'utf8').then((t) => JSON.parse(t) as KvmProbeResult & { bootId: string }, () => undefined);
  if (cached && cached.bootId === bootId.trim()) return { accel: cached.accel, reason: cached.reason };
  const result = await probe(kernel);
  await fs.mkdir(cacheDir, { recursive: true });
  await fs.writeFile(cacheFile, JSON.stringify({ ...result, bootId: bootId.trim() }));
  return result;
}

async function probe(kernel: string): Promise<KvmProbeResult> {
  try {
    await fs.access('/dev/kvm', fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return { accel: 'tcg', reason: 'no /dev/kvm' };
  }
  const t0 = Date.now();
  const args = ['-nodefaults', '-no-user-config', '-machine', 'pc,accel=kvm', '-cpu', 'host', '-m', '256M', '-display', 'none',
    '-no-reboot', '-serial', 'stdio', '-kernel', kernel, '-append', 'console=ttyS0 panic=-1 rdinit=/nonexistent'];
  const r = await new Promise<{ code: number | null; out: string; timedOut: boolean }>((resolve) => {
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
    // a PVM or broken KVM hangs or asserts; a working one reaches the panic in well under a second
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, 8000);
    child.on('error', () => undefined);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, timedOut });
    });
  });
  if (!r.timedOut && r.code === 0 && /Kernel panic/.test(r.out)) return { accel: 'kvm', reason: `probe vm reached its kernel panic under kvm in ${Date.now() - t0} ms` };
  const why = r.timedOut ? 'no kernel panic within 8 s' : (r.out.split('\n').find((l) => /error|assert/i.test(l)) ?? `exit ${r.code}`).trim().slice(0, 160);
  return { accel: 'tcg', reason: `kvm probe failed (${why}); using tcg` };
}
