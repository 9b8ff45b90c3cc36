// Facts about the host boxlabd runs on, read once at engine start (Engine.start) and shared by the
// places that show or use them: /version and /info (`docker version`, `docker info`), the create body's
// resource checks (how many CPUs there are) and the OCI spec builder (seccomp's architecture and kernel,
// the open-files limit, the capabilities and devices the engine has, the init binary for --init).
// dockerd gathers the same things in its sysinfo package and `daemon/info.go`. Every path is a
// parameter, so tests point it at a fake /etc, /sys or /proc.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../core/exec.js';
import type { SpecDevice } from '../oci-runtime-spec.js';
import { findInitBinary, INIT_CANDIDATES } from '../containers/oci-spec/find-init.js';
import { listHostDevices } from '../containers/oci-spec/host-devices.js';
import { goArch } from './go-arch.js';
import { parseOsRelease } from './os-release.js';
import { parseCapBounding, parseNofileHardLimit } from './process-limits.js';
import { parseInitVersion, parseRuncVersion, type ToolVersion } from './runtime-versions.js';

export interface HostFacts {
  /** GOARCH (amd64, arm64): /version's Arch and the seccomp profile's architecture names */
  arch: string;
  /** uname -m (x86_64): /info's Architecture */
  machine: string;
  /** uname -r */
  kernel: string;
  /** os-release's PRETTY_NAME and VERSION_ID */
  operatingSystem: string;
  osVersion: string;
  ncpu: number;
  memTotal: number;
  /** cgroup v2 ("unified") has cgroup.controllers at the root of /sys/fs/cgroup; v1 and hybrid do not */
  cgroupVersion: '1' | '2';
  /** the CPUs and memory nodes a --cpuset-cpus/--cpuset-mems may name, e.g. "0-1" and "0" */
  cpusetCpus: string;
  cpusetMems: string;
  /** `runc --version`; undefined when runc is missing or says something else */
  runc?: ToolVersion;
  /** the init binary for --init (docker-init or tini) and its `--version` */
  init?: { path: string } & Partial<ToolVersion>;
  /** the engine's own open-files hard limit (/proc/self/limits) */
  maxNofile?: number;
  /** the engine's bounding set: --privileged cannot give a container more */
  capabilities?: string[];
  /** the host's device nodes, for --device and --privileged */
  devices?: SpecDevice[];
  /** which limits the cgroup controllers here can apply (dockerd's sysinfo): what the resource checks discard */
  cgroupFeatures?: CgroupFeatures;
}

/** limits a kernel may lack even with the controller mounted (dockerd warns and discards them) */
export interface CgroupFeatures {
  kernelMemory: boolean;
  blkioWeight: boolean;
  blkioWeightDevice: boolean;
  blkioReadBps: boolean;
  blkioWriteBps: boolean;
  blkioReadIOps: boolean;
  blkioWriteIOps: boolean;
}

export interface HostRoots {
  etc?: string;
  /** /sys */
  sys?: string;
  procSelf?: string;
  dev?: string;
  /** the runc binary (default: runc on PATH) */
  runc?: string;
  initCandidates?: readonly string[];
}

const readText = (file: string) => fs.readFile(file, 'utf8').then((t) => t.trim(), () => undefined);

/** what a program prints for --version, or '' when it cannot be run */
async function versionOutput(binary: string): Promise<string> {
  const res = await run(binary, ['--version'], { allowFailure: true, timeout: 10_000 }).catch(() => undefined);
  return res?.exitCode === 0 ? res.stdout : '';
}

/** the CPUs and memory nodes of the root cpuset (dockerd's sysinfo reads the same files) */
async function readCpuset(sys: string, cgroupVersion: '1' | '2'): Promise<{ cpus: string; mems: string }> {
  const cg = path.join(sys, 'fs/cgroup');
  const [cpus, mems] =
    cgroupVersion === '2'
      ? await Promise.all([readText(path.join(cg, 'cpuset.cpus.effective')), readText(path.join(cg, 'cpuset.mems.effective'))])
      : await Promise.all([readText(path.join(cg, 'cpuset/cpuset.cpus')), readText(path.join(cg, 'cpuset/cpuset.mems'))]);
  return {
    cpus: cpus || (await readText(path.join(sys, 'devices/system/cpu/online'))) || `0-${os.cpus().length - 1}`,
    mems: mems || (await readText(path.join(sys, 'devices/system/node/online'))) || '0',
  };
}

/**
 * dockerd's sysinfo: on v1 each limit is there when its file is in the controller's root (blkio.weight
 * needs a proportional I/O scheduler such as BFQ, and is often missing); on v2 the io controller has them
 * all, and kernel memory is gone
 */
export async function readCgroupFeatures(sys: string, cgroupVersion: '1' | '2'): Promise<CgroupFeatures> {
  const cg = path.join(sys, 'fs/cgroup');
  if (cgroupVersion === '2') {
    const io = ((await readText(path.join(cg, 'cgroup.controllers'))) ?? '').split(/\s+/).includes('io');
    return { kernelMemory: false, blkioWeight: io, blkioWeightDevice: io, blkioReadBps: io, blkioWriteBps: io, blkioReadIOps: io, blkioWriteIOps: io };
  }
  const has = (file: string) => existsSync(path.join(cg, file));
  return {
    kernelMemory: has('memory/memory.kmem.limit_in_bytes'),
    blkioWeight: has('blkio/blkio.weight'),
    blkioWeightDevice: has('blkio/blkio.weight_device'),
    blkioReadBps: has('blkio/blkio.throttle.read_bps_device'),
    blkioWriteBps: has('blkio/blkio.throttle.write_bps_device'),
    blkioReadIOps: has('blkio/blkio.throttle.read_iops_device'),
    blkioWriteIOps: has('blkio/blkio.throttle.write_iops_device'),
  };
}

export async function readHostFacts(roots: HostRoots = {}): Promise<HostFacts> {
  const etc = roots.etc ?? '/etc';
  const sys = roots.sys ?? '/sys';
  const procSelf = roots.procSelf ?? '/proc/self';
  const cgroupVersion = existsSync(path.join(sys, 'fs/cgroup/cgroup.controllers')) ? '2' : '1';
  const [release, limits, status, cpuset, runcOut, initPath, devices] = await Promise.all([
    readText(path.join(etc, 'os-release')),
    readText(path.join(procSelf, 'limits')),
    readText(path.join(procSelf, 'status')),
    readCpuset(sys, cgroupVersion),
    versionOutput(roots.runc ?? 'runc'),
    findInitBinary(roots.initCandidates ?? INIT_CANDIDATES),
    listHostDevices(roots.dev),
  ]);
  const os_ = parseOsRelease(release ?? '');
  return {
    arch: goArch(),
    machine: os.machine(),
    kernel: os.release(),
    operatingSystem: os_.PRETTY_NAME ?? 'Linux',
    osVersion: os_.VERSION_ID ?? '',
    ncpu: os.cpus().length,
    memTotal: os.totalmem(),
    cgroupVersion,
    cpusetCpus: cpuset.cpus,
    cpusetMems: cpuset.mems,
    runc: parseRuncVersion(runcOut),
    init: initPath ? { path: initPath, ...parseInitVersion(await versionOutput(initPath)) } : undefined,
    maxNofile: parseNofileHardLimit(limits ?? ''),
    capabilities: parseCapBounding(status ?? ''),
    devices,
    cgroupFeatures: await readCgroupFeatures(sys, cgroupVersion),
  };
}
