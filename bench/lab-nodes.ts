// Multi-node lab benchmarks (issue 17, ADR 0018), through the CLI as a student types it: a three-node lab
// of docker nodes (Debian's dockerd next to boxlabd, the Swarm labs' shape) ready cold (`lab start` on no
// VMs: three boots, every engine answering, the lab's images seeded into each dockerd, then the nodes-fresh
// and lab start snapshots saved: reported apart), ready from snapshots (`lab reset` of running nodes; `lab
// stop` then `lab start`, stopped nodes resumed from the lab's start), and memory per node (each qemu's
// RSS on this host, MemTotal - MemAvailable inside). Goals from the issue: cold < 60 s, from snapshots
// < 10 s under TCG, each node < 700 MiB. Never asserted. Its own BOXLAB_HOME: nothing is left behind.
// bench/run.ts calls it (BENCH_LAB_NODES=0 skips it); `node dist/bench/lab-nodes.js` runs it alone.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureQemuImage } from '../src/vm/images/qemu-image-builder.js';
import { parseUsedMiB, qemuRssMiB } from '../src/vm/vm-memory.js';
import { vmImagesCache } from '../src/vm/vm-home.js';

const run = promisify(execFile);
const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'run.js');

export interface LabNodesBenchResult {
  nodes: number;
  engine: 'docker';
  memoryMiB: number;
  imageMs: number;
  /** lab start on no VMs, until it returned (boots, setup, images, both snapshot saves) */
  coldStartMs: number;
  /** the part of coldStartMs spent saving snapshots (nodes-fresh, lab start) */
  coldSnapshotMs: number;
  resetMs: number;
  stopMs: number;
  freedMiB: number;
  startFromSnapshotMs: number;
  perNode: Array<{ name: string; rssMiB?: number; usedMiB?: number }>;
}

export async function benchLabNodes(): Promise<LabNodesBenchResult> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-lab-nodes-bench-'));
  const tag = `b${process.pid % 100000}`;
  const names = [`${tag}-manager1`, `${tag}-worker1`, `${tag}-worker2`];
  const labs = path.join(home, 'labs');
  await fs.mkdir(path.join(labs, '97-three-nodes'), { recursive: true });
  await fs.writeFile(path.join(labs, '97-three-nodes', 'lab.md'), threeNodes(names, `l39-${tag}`));
  const env = { ...process.env, BOXLAB_HOME: home, BOXLAB_LABS: labs, BOXLAB_VM_BOOT_TIMEOUT: '900' };
  const boxlab = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, maxBuffer: 1 << 24 });
  const timed = async (...args: string[]) => {
    const t0 = Date.now();
    const r = await boxlab(...args);
    return { ms: Date.now() - t0, ...r };
  };
  try {
    const t0 = Date.now();
    await ensureQemuImage({ cacheRoot: vmImagesCache(), variant: 'docker' });
    const imageMs = Date.now() - t0;
    const cold = await timed('lab', 'start', '97-three-nodes');
    const coldSnapshotMs = [...cold.stderr.matchAll(/snapshot "[^"]+" saved in ([\d.]+) s/g)].reduce((s, m) => s + Number(m[1]) * 1000, 0);
    // every engine answers: the student's docker (dockerd) runs the seeded busybox on each node
    for (const n of names) await boxlab('lab', 'shell', n, '-c', 'docker run --rm busybox true && DOCKER_HOST=unix:///run/boxlab/docker.sock docker version >/dev/null');
    const perNode: LabNodesBenchResult['perNode'] = [];
    for (const n of names) {
      const meminfo = (await boxlab('vm', 'exec', n, '--', 'cat', '/proc/meminfo')).stdout;
      perNode.push({ name: n, rssMiB: await qemuRssMiB(path.join(home, 'vms', n)), usedMiB: parseUsedMiB(meminfo) });
    }
    const reset = await timed('lab', 'reset');
    const stop = await timed('lab', 'stop', '--json');
    const freedMiB = (JSON.parse(stop.stdout) as { freedMiB: number }).freedMiB;
    const again = await timed('lab', 'start', '97-three-nodes');
    return { nodes: names.length, engine: 'docker', memoryMiB: 1536, imageMs, coldStartMs: cold.ms, coldSnapshotMs, resetMs: reset.ms, stopMs: stop.ms, freedMiB, startFromSnapshotMs: again.ms, perNode };
  } finally {
    await boxlab('vm', 'delete', ...names).catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
  }
}

export function formatLabNodesBench(r: LabNodesBenchResult): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;
  const line = (label: string, value: string, goal = '') => `${label.padEnd(58)} ${value}${goal ? `   goal: ${goal}` : ''}`;
  return [
    line(`lab of ${r.nodes} docker nodes: vm image (docker variant) ready`, s(r.imageMs)),
    line(`lab start cold, ${r.nodes} nodes (boots, setup, snapshots)`, s(r.coldStartMs)),
    line(`  of which every engine answering (without the saves)`, s(r.coldStartMs - r.coldSnapshotMs), '< 60 s (tcg)'),
    line(`  of which saving nodes-fresh and the lab's start`, s(r.coldSnapshotMs)),
    line(`lab reset, ${r.nodes} running nodes restored together`, s(r.resetMs), '< 10 s (tcg)'),
    line(`lab stop (${r.freedMiB} MiB freed)`, s(r.stopMs)),
    line(`lab start, ${r.nodes} stopped nodes resumed from snapshots`, s(r.startFromSnapshotMs), '< 10 s (tcg)'),
    ...r.perNode.map((n) => line(`memory of ${n.name} (${r.memoryMiB} MiB vm): qemu RSS / used inside`, `${String(n.rssMiB ?? '?').padStart(5)} / ${String(n.usedMiB ?? '?')} MiB`, '< 700 MiB')),
  ];
}

function threeNodes(names: string[], network: string): string {
  const [m, w1, w2] = names;
  return `---
id: 97-three-nodes
title: {en: "Three nodes", zh: "三个节点"}
description: {en: "three docker nodes on one lab network", zh: "一个实验网络上的三个 docker 节点"}
needs: {images: [busybox]}
nodes:
  - {name: ${m}, engine: docker}
  - {name: ${w1}, engine: docker}
  - {name: ${w2}, engine: docker}
network: ${network}
---

:::en
Three nodes.
:::
:::zh
三个节点。
:::

\`\`\`setup
mkdir -p "$LAB_DIR"
\`\`\`

## step reach
kind: challenge

:::en Reach
Leave a mark.
:::
:::zh 到达
留下标记。
:::

\`\`\`check mark
test -f "$LAB_DIR/mark" || fail "no mark" "没有标记"
say "mark" "有标记"
\`\`\`

\`\`\`solution
touch "$LAB_DIR/mark"
\`\`\`
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const l of formatLabNodesBench(await benchLabNodes())) console.log(l);
}
