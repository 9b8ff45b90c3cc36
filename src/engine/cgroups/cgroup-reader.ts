// Reads a container's cgroup (control groups: the kernel's accounting and limits per group of
// processes) for `docker stats`, `docker top` and OOM detection, on cgroup v1 and v2, from an
// injectable root so tests use fake trees in temp dirs (youki's libcgroups test style).
//
// Layouts:
//   v1 (this host, "hybrid"): one hierarchy per controller, /sys/fs/cgroup/<controller>/<path>, and a
//      near-empty cgroup2 at /sys/fs/cgroup/unified
//   v2 (Debian 12 VM): one tree, /sys/fs/cgroup/<path>, with cgroup.controllers at the root
// Where runc puts a container (checked with runc 1.1.5 on the v1 host, see test/integration/cgroups):
// an absolute cgroupsPath such as /boxlab/<id> is taken from the root of every hierarchy
// (/sys/fs/cgroup/memory/boxlab/<id>), even though the engine's own memory cgroup is nested
// (/process_api/<session>); a relative path would be nested under the caller's own cgroup, read from
// /proc/self/cgroup. `runc run --keep` leaves the cgroup after the process exits, so oom_kill can still be
// read then; `runc delete` removes it (but not the shared parent /boxlab).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { failedPrecondition, invalidArgument } from '../../core/errors.js';
import {
  parseBlkioV1,
  parseFlatKeyed,
  parseIoStatV2,
  parseLimit,
  parseProcCgroup,
  parseSpaceSeparated,
} from './cgroup-files.js';
import type { CgroupStats, CgroupVersion } from './cgroup-stats.js';

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';
export const V1_CONTROLLERS = ['memory', 'cpuacct', 'cpu', 'pids', 'blkio', 'freezer', 'cpuset', 'devices'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

/** v1 memory.limit_in_bytes with no limit is PAGE_COUNTER_MAX pages: anything this large means "none" */
const V1_UNLIMITED = 2 ** 62;
/** USER_HZ: cpuacct.stat counts in 1/100 s */
const TICK_NS = 1e7;

export interface CgroupReaderOptions {
  /** default /sys/fs/cgroup */
  root?: string;
  /** the engine's own /proc/self/cgroup, for relative cgroupsPaths; default /proc/self/cgroup */
  procSelfCgroup?: string;
}

export type CgroupDirs = { version: 1; dirs: Record<V1Controller, string> } | { version: 2; dir: string };

/** pure: where a cgroupsPath lives, given the version and the caller's own cgroups */
export function cgroupDirs(root: string, version: CgroupVersion, cgroupsPath: string, own: Record<string, string>): CgroupDirs {
  if (cgroupsPath.includes(':')) {
    throw invalidArgument(`cgroupsPath "${cgroupsPath}" looks like a systemd slice; boxlab uses runc's cgroupfs driver with paths like /boxlab/<id>`);
  }
  if (cgroupsPath.split('/').includes('..')) throw invalidArgument(`cgroupsPath "${cgroupsPath}" must not contain ".."`);
  const under = (controller: string) => (path.isAbsolute(cgroupsPath) ? cgroupsPath : path.posix.join(own[controller] ?? '/', cgroupsPath));
  if (version === 2) return { version: 2, dir: path.join(root, under('')) };
  const dirs = Object.fromEntries(V1_CONTROLLERS.map((c) => [c, path.join(root, c, under(c))])) as Record<V1Controller, string>;
  return { version: 1, dirs };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENODEV' || code === 'EOPNOTSUPP') return undefined;
    throw err;
  }
}

const exists = async (p: string) => fs.access(p).then(() => true, () => false);

export class CgroupReader {
  readonly root: string;
  private readonly procSelfCgroup: string;
  private versionCache?: CgroupVersion;

  constructor(options: CgroupReaderOptions = {}) {
    this.root = options.root ?? DEFAULT_CGROUP_ROOT;
    this.procSelfCgroup = options.procSelfCgroup ?? '/proc/self/cgroup';
  }

  /** v2 when the root is a cgroup2 mount (it has cgroup.controllers); v1 when controllers are folders */
  async version(): Promise<CgroupVersion> {
    if (this.versionCache) return this.versionCache;
    if (await exists(path.join(this.root, 'cgroup.controllers'))) this.versionCache = 2;
    else if (await exists(path.join(this.root, 'memory'))) this.versionCache = 1;
    else {
      throw failedPrecondition(`no cgroup filesystem found at ${this.root}`, {
        suggestions: ['mount one: mount -t cgroup2 none /sys/fs/cgroup'],
      });
    }
    return this.versionCache;
  }

  /** v1 with a cgroup2 mount at <root>/unified next to the controllers (systemd's "hybrid" mode) */
  async isHybrid(): Promise<boolean> {
    return (await this.version()) === 1 && (await exists(path.join(this.root, 'unified', 'cgroup.procs')));
  }

  async dirs(cgroupsPath: string): Promise<CgroupDirs> {
    const version = await this.version();
    const own = path.isAbsolute(cgroupsPath) ? {} : parseProcCgroup((await readText(this.procSelfCgroup)) ?? '');
    return cgroupDirs(this.root, version, cgroupsPath, own);
  }

  /** does the cgroup exist (runc made it and it was not deleted)? */
  async exists(cgroupsPath: string): Promise<boolean> {
    const d = await this.dirs(cgroupsPath);
    return exists(d.version === 2 ? d.dir : d.dirs.memory);
  }

  async stats(cgroupsPath: string, now: Date = new Date()): Promise<CgroupStats> {
    const d = await this.dirs(cgroupsPath);
    if (!(await exists(d.version === 2 ? d.dir : d.dirs.memory))) {
      throw failedPrecondition(`cgroup ${cgroupsPath} not found`, { suggestions: ['is the container running?'] });
    }
    return d.version === 2 ? this.statsV2(d.dir, now) : this.statsV1(d.dirs, now);
  }

  private async statsV1(dirs: Record<V1Controller, string>, now: Date): Promise<CgroupStats> {
    const read = (c: V1Controller, file: string) => readText(path.join(dirs[c], file));
    const num = async (c: V1Controller, file: string) => {
      const t = await read(c, file);
      return t === undefined ? undefined : parseLimit(t);
    };
    const limit = await num('memory', 'memory.limit_in_bytes');
    const cpuStat = parseFlatKeyed((await read('cpu', 'cpu.stat')) ?? '');
    const cpuacctStat = parseFlatKeyed((await read('cpuacct', 'cpuacct.stat')) ?? '');
    const pidsMax = await read('pids', 'pids.max');
    return {
      version: 1,
      read: now.toISOString(),
      memory: {
        usage: (await num('memory', 'memory.usage_in_bytes')) ?? 0,
        limit: limit === undefined || limit >= V1_UNLIMITED ? undefined : limit,
        maxUsage: await num('memory', 'memory.max_usage_in_bytes'),
        oomKills: parseFlatKeyed((await read('memory', 'memory.oom_control')) ?? '').oom_kill ?? 0,
        failcnt: await num('memory', 'memory.failcnt'),
        stats: parseFlatKeyed((await read('memory', 'memory.stat')) ?? ''),
      },
      cpu: {
        totalNs: (await num('cpuacct', 'cpuacct.usage')) ?? 0,
        perCpuNs: parseSpaceSeparated((await read('cpuacct', 'cpuacct.usage_percpu')) ?? ''),
        userNs: cpuacctStat.user === undefined ? undefined : cpuacctStat.user * TICK_NS,
        systemNs: cpuacctStat.system === undefined ? undefined : cpuacctStat.system * TICK_NS,
        throttling: { periods: cpuStat.nr_periods ?? 0, throttledPeriods: cpuStat.nr_throttled ?? 0, throttledTimeNs: cpuStat.throttled_time ?? 0 },
      },
      pids: { current: (await num('pids', 'pids.current')) ?? 0, limit: pidsMax === undefined ? undefined : parseLimit(pidsMax) },
      blkio: { ioServiceBytes: parseBlkioV1((await read('blkio', 'blkio.throttle.io_service_bytes_recursive')) ?? '') },
    };
  }

  private async statsV2(dir: string, now: Date): Promise<CgroupStats> {
    const read = (file: string) => readText(path.join(dir, file));
    const cpu = parseFlatKeyed((await read('cpu.stat')) ?? '');
    const max = await read('memory.max');
    const pidsMax = await read('pids.max');
    return {
      version: 2,
      read: now.toISOString(),
      memory: {
        usage: parseLimit((await read('memory.current')) ?? '0') ?? 0,
        limit: max === undefined ? undefined : parseLimit(max),
        maxUsage: await read('memory.peak').then((t) => (t === undefined ? undefined : parseLimit(t))),
        oomKills: parseFlatKeyed((await read('memory.events')) ?? '').oom_kill ?? 0,
        stats: parseFlatKeyed((await read('memory.stat')) ?? ''),
      },
      cpu: {
        totalNs: (cpu.usage_usec ?? 0) * 1000,
        userNs: cpu.user_usec === undefined ? undefined : cpu.user_usec * 1000,
        systemNs: cpu.system_usec === undefined ? undefined : cpu.system_usec * 1000,
        throttling: { periods: cpu.nr_periods ?? 0, throttledPeriods: cpu.nr_throttled ?? 0, throttledTimeNs: (cpu.throttled_usec ?? 0) * 1000 },
      },
      pids: { current: parseLimit((await read('pids.current')) ?? '0') ?? 0, limit: pidsMax === undefined ? undefined : parseLimit(pidsMax) },
      blkio: { ioServiceBytes: parseIoStatV2((await read('io.stat')) ?? '') },
    };
  }

  /**
   * Was a process of this container killed by the OOM killer? Works after the process exited as long
   * as runc has not deleted the container (runc run --keep); false when the cgroup is gone.
   */
  async readOomKilled(cgroupsPath: string): Promise<boolean> {
    const d = await this.dirs(cgroupsPath);
    const text = d.version === 2 ? await readText(path.join(d.dir, 'memory.events')) : await readText(path.join(d.dirs.memory, 'memory.oom_control'));
    return (parseFlatKeyed(text ?? '').oom_kill ?? 0) > 0;
  }

  /** pids of every process in the cgroup and its children (cgroup.procs), for `docker top` */
  async pids(cgroupsPath: string): Promise<number[]> {
    const d = await this.dirs(cgroupsPath);
    const top = d.version === 2 ? d.dir : d.dirs.pids;
    const out: number[] = [];
    const walk = async (dir: string): Promise<void> => {
      const procs = await readText(path.join(dir, 'cgroup.procs'));
      if (procs === undefined) return;
      out.push(...parseSpaceSeparated(procs));
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory()) await walk(path.join(dir, e.name));
    };
    await walk(top);
    return [...new Set(out)].sort((a, b) => a - b);
  }
}
