// The create body's fields boxlabd does not apply. dockerd would honour them; the schema's decoder drops
// unknown keys and the engine leaves these unused, so without this check a `docker run --cgroup-parent x`
// or a compose file with `cgroup_parent: x` would run as if the option were not there. A field with a value
// other than its zero (or the one value boxlab implements, e.g. Runtime "runc") is refused naming the
// field, the docker flag and the compose key, so the user sees what boxlab lacks instead of a silent difference.
import { invalidArgument } from '../../../core/errors.js';

interface Unsupported {
  /** where it is in the body: "HostConfig.CgroupParent" */
  field: string;
  flag: string;
  composeKey: string;
  /** values that mean "not used" besides the zero values ("", 0, false, null, [], {}) */
  allowed?: unknown[];
}

const UNSUPPORTED: Unsupported[] = [
  { field: 'HostConfig.CgroupParent', flag: '--cgroup-parent', composeKey: 'cgroup_parent' },
  { field: 'HostConfig.StorageOpt', flag: '--storage-opt', composeKey: 'storage_opt' },
  { field: 'HostConfig.Isolation', flag: '--isolation', composeKey: 'isolation', allowed: ['default'] },
  { field: 'HostConfig.DeviceCgroupRules', flag: '--device-cgroup-rule', composeKey: 'device_cgroup_rules' },
  { field: 'HostConfig.DeviceRequests', flag: '--gpus', composeKey: 'deploy.resources.reservations.devices' },
  { field: 'HostConfig.CpuRealtimePeriod', flag: '--cpu-rt-period', composeKey: 'cpu_rt_period' },
  { field: 'HostConfig.CpuRealtimeRuntime', flag: '--cpu-rt-runtime', composeKey: 'cpu_rt_runtime' },
  { field: 'HostConfig.CpuCount', flag: '--cpu-count', composeKey: 'cpu_count' },
  { field: 'HostConfig.CpuPercent', flag: '--cpu-percent', composeKey: 'cpu_percent' },
  { field: 'HostConfig.IOMaximumIOps', flag: '--io-maxiops', composeKey: '(none: Windows only)' },
  { field: 'HostConfig.IOMaximumBandwidth', flag: '--io-maxbandwidth', composeKey: '(none: Windows only)' },
  { field: 'HostConfig.VolumeDriver', flag: '--volume-driver', composeKey: 'volume_driver', allowed: ['local'] },
  { field: 'HostConfig.Runtime', flag: '--runtime', composeKey: 'runtime', allowed: ['runc'] },
  { field: 'HostConfig.UsernsMode', flag: '--userns', composeKey: 'userns_mode', allowed: ['host'] },
  { field: 'HostConfig.Cgroup', flag: '--cgroup', composeKey: 'cgroup' },
  { field: 'HostConfig.CgroupnsMode', flag: '--cgroupns', composeKey: 'cgroupns' },
  { field: 'MacAddress', flag: '--mac-address', composeKey: 'mac_address' },
];

function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

function at(body: unknown, field: string): unknown {
  let v: unknown = body;
  for (const part of field.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** throws INVALID_ARGUMENT for the first field of the raw create body that boxlabd would ignore */
export function refuseUnsupportedFields(json: unknown): void {
  for (const u of UNSUPPORTED) {
    const value = at(json, u.field);
    if (isZero(value) || u.allowed?.includes(value)) continue;
    throw invalidArgument(`${u.field} (${u.flag}, compose key ${u.composeKey}) is not supported by boxlab: it would be ignored, so the container is not created`, {
      suggestions: [`remove ${u.flag} from the command, or ${u.composeKey} from the compose file`, 'docs/differences-from-dockerd.md lists what boxlab leaves out'],
    });
  }
}
