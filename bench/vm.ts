// Sandbox benchmarks (issue 6): the QEMU image build, cold and cached; `vm create` until the engine in the
// VM answers (cold boot), and a restore of a savevm snapshot until the engine answers again; a
// `docker run --rm busybox true` inside; the first `docker compose version` after the boot (python loads
// compose's modules from the image's bytecode) and the next one. Under TCG here (KVM where a probe VM really boots). Goals from the
// issue: engine ready < 10 s cold under TCG, < 3 s from a snapshot, < 1 s under KVM. Never asserted.
// bench/run.ts calls benchVm() and prints formatVmBench(). Set BENCH_VM=0 to skip (it boots a VM).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureQemuImage } from '../src/vm/images/qemu-image-builder.js';
import { QemuProvider } from '../src/vm/providers/qemu/qemu-provider.js';
import { VmService } from '../src/vm/vm-service.js';

export interface VmBenchResult {
  accel: string;
  imageBuildColdMs: number;
  imageBuildCachedMs: number;
  createToEngineReadyMs: number;
  restoreToEngineReadyMs: number;
  snapshotMs: number;
  dockerRunInVmMs: number;
  /** the first `docker compose version` after the boot, and the one after it (ms) */
  composeInVmMs: { first: number; next: number };
}

export async function benchVm(): Promise<VmBenchResult> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-bench-'));
  const name = `bench${process.pid}`;
  let accel = 'tcg';
  const provider = new QemuProvider({ cacheRoot: path.join(work, 'cache'), progress: (l) => { const m = l.match(/qemu started \((\w+)/); if (m) accel = m[1]!; } });
  const svc = new VmService({ root: path.join(work, 'vms'), providerFor: () => provider });
  try {
    const cold = await ensureQemuImage({ cacheRoot: path.join(work, 'cache') });
    const cached = await ensureQemuImage({ cacheRoot: path.join(work, 'cache') });
    let t = Date.now();
    await svc.create(name, 'qemu', { cpus: Math.min(2, os.cpus().length), memoryMiB: 1024 });
    const createToEngineReadyMs = Date.now() - t;
    const g = await svc.guest(name);
    t = Date.now();
    const r = await g.exec(['docker', 'run', '--rm', 'busybox', 'true']);
    const dockerRunInVmMs = Date.now() - t;
    if (r.exitCode !== 0) throw new Error(`docker run in the vm failed: ${r.stderr}`);
    const composeVersion = async () => {
      const t0 = Date.now();
      const c = await g.exec(['docker', 'compose', 'version']);
      if (c.exitCode !== 0) throw new Error(`docker compose version in the vm failed: ${c.stderr}`);
      return Date.now() - t0;
    };
    const composeInVmMs = { first: await composeVersion(), next: await composeVersion() };
    t = Date.now();
    await svc.snapshot(name, 'bench');
    const snapshotMs = Date.now() - t;
    await svc.stop(name);
    t = Date.now();
    await svc.restore(name, 'bench');
    const restoreToEngineReadyMs = Date.now() - t;
    return { accel, imageBuildColdMs: cold.ms, imageBuildCachedMs: cached.ms, createToEngineReadyMs, restoreToEngineReadyMs, snapshotMs, dockerRunInVmMs, composeInVmMs };
  } finally {
    await svc.delete(name).catch(() => undefined);
    await fs.rm(work, { recursive: true, force: true });
  }
}

export function formatVmBench(r: VmBenchResult): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;
  const goal = r.accel === 'kvm' ? '< 1 s (kvm)' : '< 10 s (tcg)';
  return [
    `${'vm image build, cold (kernel download excluded when cached)'.padEnd(58)} ${s(r.imageBuildColdMs)}`,
    `${'vm image build, cached'.padEnd(58)} ${s(r.imageBuildCachedMs)}`,
    `${`vm create -> engine ready, cold boot (${r.accel})`.padEnd(58)} ${s(r.createToEngineReadyMs)}   goal: ${goal}`,
    `${'vm snapshot (savevm)'.padEnd(58)} ${s(r.snapshotMs)}`,
    `${'vm restore of a snapshot -> engine ready'.padEnd(58)} ${s(r.restoreToEngineReadyMs)}   goal: < 3 s`,
    `${'docker run --rm busybox true, inside the vm'.padEnd(58)} ${s(r.dockerRunInVmMs)}`,
    `${'docker compose version, inside the vm: first after boot'.padEnd(58)} ${s(r.composeInVmMs.first)}`,
    `${'docker compose version, inside the vm: the next one'.padEnd(58)} ${s(r.composeInVmMs.next)}`,
  ];
}
