// What an engine leaves on the host after it removed everything and stopped: the kernel objects a
// container engine makes (mounts, cgroups, network links, iptables rules) and the processes it starts
// (shims, runc, the containers' own), each counted by what identifies this engine only (its root, its
// bridges, its chain prefix, its container ids), so that other engines on the same host do not count.
// A clean engine leaves none of them: every name returned is a leak.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import type { EngineHarness } from '../../helpers/engine-harness.js';

export interface EngineFootprint {
  /** every container id the engine ever had (processes and cgroups are found by them) */
  containerIds: string[];
  /** the default bridge and the user networks' bridges */
  bridges: string[];
  /** host ends of the veth pairs the engine made (from its trace) */
  veths: string[];
  /** BOXLAB-<hash>: the engine's own iptables chains */
  chainPrefix: string;
}

/** the cgroup parent of boxlab's containers (runc-container-service.ts: cgroupsPath /boxlab/<id>) */
const CGROUP_PARENT = 'boxlab';

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** cgroup v1 (one hierarchy per controller) and v2 (unified, or /sys/fs/cgroup itself) */
async function cgroupsOf(ids: string[]): Promise<string[]> {
  const base = '/sys/fs/cgroup';
  const hierarchies = [base, ...(await fs.readdir(base).catch(() => [] as string[])).map((h) => path.join(base, h))];
  const found: string[] = [];
  for (const h of hierarchies) {
    for (const id of ids) if (await exists(path.join(h, CGROUP_PARENT, id))) found.push(`cgroup ${path.join(h, CGROUP_PARENT, id)}`);
  }
  return found;
}

async function linksOf(f: EngineFootprint): Promise<string[]> {
  const out = (await run('ip', ['-o', 'link', 'show'])).stdout;
  const found: string[] = [];
  for (const line of out.split('\n')) {
    // "7: bxl1a2b3c: <...> ... master br-x ..."; veth names carry "@ifN" (or "@if9" of the peer)
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    if (!name) continue;
    const master = /\smaster\s+(\S+)/.exec(line)?.[1];
    if (f.bridges.includes(name) || f.veths.includes(name) || (master && f.bridges.includes(master))) found.push(`link ${line.trim()}`);
  }
  return found;
}

async function rulesOf(f: EngineFootprint): Promise<string[]> {
  const found: string[] = [];
  for (const table of ['nat', 'filter']) {
    const saved = (await run('iptables-save', ['-t', table])).stdout;
    for (const line of saved.split('\n')) {
      const words = line.split(/\s+/);
      if (line.includes(f.chainPrefix + '-') || words.some((w) => f.bridges.includes(w))) found.push(`iptables -t ${table}: ${line}`);
    }
  }
  return found;
}

/** shims, runc and the engine name the root on their command line; container processes (and execs) sit in /boxlab/<id> */
async function processesOf(root: string, f: EngineFootprint): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await fs.readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
    const cgroup = await fs.readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
    if (cmdline.includes(root) || f.containerIds.some((id) => cgroup.includes(`/${CGROUP_PARENT}/${id}`))) {
      found.push(`process ${pid}: ${cmdline}`);
    }
  }
  return found;
}

/** runc's own view and its state folders (a folder runc no longer lists is a leak too) */
async function runcStateOf(engine: EngineHarness): Promise<string[]> {
  const runcRoot = path.join(engine.root, 'runc');
  const dirs = await fs.readdir(runcRoot).catch(() => [] as string[]);
  return [...new Set([...(await engine.runcContainers()), ...dirs])].map((id) => `runc state ${path.join(runcRoot, id)}`);
}

/** every mount, cgroup, link, rule, process and runc state of this engine still on the host */
export async function hostLeaks(engine: EngineHarness, f: EngineFootprint): Promise<string[]> {
  const mounts = (await engine.mountsUnderRoot()).map((m) => `mount ${m}`);
  const parts = await Promise.all([cgroupsOf(f.containerIds), linksOf(f), rulesOf(f), processesOf(engine.root, f), runcStateOf(engine)]);
  return [...mounts, ...parts.flat()];
  return parts.flat();
}
