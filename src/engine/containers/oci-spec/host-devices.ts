// Device nodes (character and block special files, see mknod(2)): a container's /dev is a fresh tmpfs
// with only the harmless ones, which runc creates. `--device /dev/fuse` adds one host device, and
// --privileged adds every device of the host, like Docker; both also need a device-cgroup rule that lets
// the container open it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../../core/errors.js';
import type { HostConfig } from '../../docker-model.js';
import type { RuntimeSpec, SpecDevice } from '../../oci-runtime-spec.js';

/** folders and files under /dev that are not host devices to copy (runc's HostDevices skips them too) */
const SKIP = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev', 'console']);

/** Linux's dev_t split (glibc's gnu_dev_major/minor) */
export function splitDev(rdev: number): { major: number; minor: number } {
  const big = BigInt(rdev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return { major, minor };
}

export async function listHostDevices(devDir = '/dev'): Promise<SpecDevice[]> {
  const out: SpecDevice[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (SKIP.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        await walk(full);
        continue;
      }
      if (!e.isCharacterDevice() && !e.isBlockDevice()) continue;
      const st = await fs.lstat(full).catch(() => undefined);
      if (!st) continue;
      out.push({
        path: path.join('/dev', path.relative(devDir, full)),
        type: e.isCharacterDevice() ? 'c' : 'b',
        ...splitDev(st.rdev),
        fileMode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
      });
    }
  };
  await walk(devDir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** --device /dev/fuse[:/dev/fuse[:rwm]]: the host device (looked up in hostDevices) and its cgroup rule */
export function withDevices(devices: HostConfig['Devices'], hostDevices: readonly SpecDevice[]) {
  return (spec: RuntimeSpec): RuntimeSpec => {
    if (!devices || devices.length === 0) return spec;
    const added: SpecDevice[] = [];
    const rules = [...(spec.linux.resources?.devices ?? [])];
    for (const d of devices) {
      const host = hostDevices.find((h) => h.path === d.PathOnHost);
      if (!host) {
        throw invalidArgument(`error gathering device information while adding custom device "${d.PathOnHost}": no such file or directory`);
      }
      const access = d.CgroupPermissions || 'rwm';
      if (!/^[rwm]{1,3}$/.test(access)) throw invalidArgument(`invalid device cgroup permissions "${access}" for ${d.PathOnHost}: use r, w and m`);
      added.push({ ...host, path: d.PathInContainer || d.PathOnHost });
      rules.push({ allow: true, type: host.type === 'b' ? 'b' : 'c', major: host.major, minor: host.minor, access });
    }
    return {
      ...spec,
      linux: { ...spec.linux, devices: [...(spec.linux.devices ?? []), ...added], resources: { ...spec.linux.resources, devices: rules } },
    };
  };
}

/** --privileged: every host device appears in the container (the cgroup rule is withPrivileged's) */
export function withAllHostDevices(hostDevices: readonly SpecDevice[]) {
  return (spec: RuntimeSpec): RuntimeSpec =>
    hostDevices.length === 0 ? spec : { ...spec, linux: { ...spec.linux, devices: hostDevices.map((d) => ({ ...d })) } };
}
