// The spec every container starts from, like Docker's (moby oci/defaults.go + daemon/oci_linux.go) and
// runc's `runc spec` example: new pid/ipc/uts/mount/network namespaces, the 14 default capabilities,
// /proc, /dev, /sys and friends mounted, kernel files that leak host information masked or read-only,
// and a device cgroup that only lets the container use the harmless character devices.
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import { OCI_VERSION, type RuntimeSpec, type SpecDeviceCgroup, type SpecMount } from '../../oci-runtime-spec.js';

/** paths under /proc and /sys a container must not read: runc bind-mounts /dev/null (or an empty tmpfs) over them */
export const DEFAULT_MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

/** kernel knobs a container may read but not change */
export const DEFAULT_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function defaultMounts(shmSize: number = DEFAULT_SHM_SIZE): SpecMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`] },
  ];
}

/** the device cgroup allow list: deny everything, then allow what Docker allows (runc's AllowedDevices) */
export function defaultDeviceRules(): SpecDeviceCgroup[] {
  const c = (major: number | undefined, minor: number | undefined, access: string): SpecDeviceCgroup => ({
    allow: true,
    type: 'c',
    ...(major === undefined ? {} : { major }),
    ...(minor === undefined ? {} : { minor }),
    access,
  });
  return [
    { allow: false, access: 'rwm' },
    c(undefined, undefined, 'm'), // mknod of any char device (using it still needs a rule below)
    { allow: true, type: 'b', access: 'm' },
    c(1, 3, 'rwm'), // /dev/null
    c(1, 8, 'rwm'), // /dev/random
    c(1, 7, 'rwm'), // /dev/full
    c(5, 0, 'rwm'), // /dev/tty
    c(1, 5, 'rwm'), // /dev/zero
    c(1, 9, 'rwm'), // /dev/urandom
    c(136, undefined, 'rwm'), // /dev/pts/*
    c(5, 2, 'rwm'), // /dev/ptmx
    c(10, 200, 'rwm'), // /dev/net/tun
  ];
}

export function defaultSpec(): RuntimeSpec {
  const caps = [...DEFAULT_CAPABILITIES];
  return {
    ociVersion: OCI_VERSION,
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [],
      env: [`PATH=${DEFAULT_PATH}`],
      cwd: '/',
      capabilities: { bounding: [...caps], effective: [...caps], permitted: [...caps] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }],
      noNewPrivileges: false,
    },
    root: { path: 'rootfs', readonly: false },
    hostname: '',
    mounts: defaultMounts(),
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network' }],
      resources: { devices: defaultDeviceRules() },
      maskedPaths: [...DEFAULT_MASKED_PATHS],
      readonlyPaths: [...DEFAULT_READONLY_PATHS],
    },
  };
}
