// Block I/O limits, the blkio cgroup controller (v1) or io (v2): `--blkio-weight` and
// `--blkio-weight-device` (a share of disk time when devices are contended), `--device-read-bps`,
// `--device-write-bps`, `--device-read-iops`, `--device-write-iops` (a ceiling per device). The request
// names devices by path; the kernel knows them by major:minor, so each path is looked up (stat) when the
// container is created and again at each start, and linux.resources.blockIO carries the numbers. runc
// writes them: blkio.throttle.write_bps_device "7:0 1048576" on v1, io.max "7:0 wbps=1048576" on v2.
import { promises as fs, type Stats } from 'node:fs';
import { invalidArgument } from '../../../core/errors.js';
import type { Resources, ThrottleDevice } from '../../docker-model.js';
import type { RuntimeSpec, SpecBlockIO, SpecThrottleDevice } from '../../oci-runtime-spec.js';
import { splitDev } from './host-devices.js';

export interface DeviceNumbers {
  major: number;
  minor: number;
}

/** device path -> its numbers, for every path the blkio lists name */
export type BlockDevices = Record<string, DeviceNumbers>;

/** the throttle lists and the flag each comes from (for the error that names it) */
const THROTTLES = [
  ['BlkioDeviceReadBps', 'throttleReadBpsDevice', '--device-read-bps'],
  ['BlkioDeviceWriteBps', 'throttleWriteBpsDevice', '--device-write-bps'],
  ['BlkioDeviceReadIOps', 'throttleReadIOPSDevice', '--device-read-iops'],
  ['BlkioDeviceWriteIOps', 'throttleWriteIOPSDevice', '--device-write-iops'],
] as const;

/** each device path the request names, with the flag that named it first */
export function blkioDevicePaths(hc: Resources): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of hc.BlkioWeightDevice ?? []) if (!out.has(d.Path)) out.set(d.Path, '--blkio-weight-device');
  for (const [field, , flag] of THROTTLES) for (const d of hc[field] ?? []) if (!out.has(d.Path)) out.set(d.Path, flag);
  return out;
}

/**
 * stat(2) of each device path: dockerd's words when it is missing ("stat /dev/sdz: no such file or
 * directory", at start in dockerd, at create here); a path that is not a block device is refused too
 * (dockerd hands it to runc, whose write to the cgroup file then fails with "no such device")
 */
export async function resolveBlockDevices(hc: Resources, stat: (path: string) => Promise<Stats> = fs.stat): Promise<BlockDevices> {
  const out: BlockDevices = {};
  for (const [path, flag] of blkioDevicePaths(hc)) {
    let st: Stats;
    try {
      st = await stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : ((err as Error).message ?? String(err));
      throw invalidArgument(`stat ${path}: ${why}`, { suggestions: [`${flag} needs a block device of this host: list them with lsblk`] });
    }
    if (!st.isBlockDevice()) {
      throw invalidArgument(`${path} is not a block device: ${flag} limits the I/O of a disk or partition`, {
        suggestions: ['name a block device of this host (lsblk lists them, e.g. /dev/vda or /dev/loop0)'],
      });
    }
    out[path] = splitDev(st.rdev);
  }
  return out;
}

function throttles(list: ThrottleDevice[] | null | undefined, devices: BlockDevices): SpecThrottleDevice[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list.map((d) => ({ ...numbersOf(d.Path, devices), rate: d.Rate }));
}

function numbersOf(path: string, devices: BlockDevices): DeviceNumbers {
  const n = devices[path];
  if (!n) throw invalidArgument(`stat ${path}: no such file or directory`);
  return { major: n.major, minor: n.minor };
}

/** HostConfig's blkio settings -> linux.resources.blockIO; undefined when there are none */
export function blockIOFromHostConfig(hc: Resources, devices: BlockDevices): SpecBlockIO | undefined {
  const out: SpecBlockIO = {};
  if (hc.BlkioWeight && hc.BlkioWeight > 0) out.weight = hc.BlkioWeight;
  const weights = (hc.BlkioWeightDevice ?? []).map((d) => ({ ...numbersOf(d.Path, devices), weight: d.Weight }));
  if (weights.length > 0) out.weightDevice = weights;
  for (const [field, key] of THROTTLES) {
    const list = throttles(hc[field], devices);
    if (list) out[key] = list;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function withBlockIO(hc: Resources, devices: BlockDevices) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    const blockIO = blockIOFromHostConfig(hc, devices);
    return blockIO ? { ...spec, linux: { ...spec.linux, resources: { ...spec.linux.resources, blockIO } } } : spec;
  };
}
