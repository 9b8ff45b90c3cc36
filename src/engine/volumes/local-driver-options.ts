// The options of Docker's "local" volume driver (`docker volume create --opt type=tmpfs --opt device=tmpfs
// --opt o=size=10m`, compose's `driver_opts`): with them a volume is not a plain folder but a mount made on
// its _data folder when a container starts with it, the same mount(8) call dockerd makes
// (volume/local/local_unix.go): `mount -t <type> -o <o> <device> volumes/<name>/_data`. `type=none o=bind
// device=/some/dir` makes the volume a bind mount of a host folder. dockerd's checks and words, at create.
import { invalidArgument } from '../../core/errors.js';
import type { MountDescriptor } from '../snapshots/snapshotter.js';

/** the keys the local driver takes (dockerd 20.10 also knows `size`, for xfs project quotas only) */
const VALID_KEYS = ['type', 'device', 'o', 'size'];

/** refuses what dockerd refuses when the volume is created; returns the options to keep */
export function checkLocalDriverOptions(name: string, opts: Record<string, string> | undefined): Record<string, string> {
  const options = { ...(opts ?? {}) };
  for (const key of Object.keys(options)) {
    if (!VALID_KEYS.includes(key)) {
      throw invalidArgument(`create ${name}: invalid option: "${key}"`, { suggestions: ['the local driver takes type, device and o (e.g. --opt type=tmpfs --opt device=tmpfs --opt o=size=10m)'] });
    }
  }
  if (options.size !== undefined) {
    throw invalidArgument(`create ${name}: quota size requested but no quota support`, { suggestions: ['for a tmpfs volume give the size in o: --opt o=size=10m'] });
  }
  if (Object.keys(options).length > 0) {
    for (const key of ['device', 'type']) {
      if (!options[key]) throw invalidArgument(`create ${name}: missing required option: "${key}"`, { suggestions: ['give type, device and o together, e.g. --opt type=none --opt o=bind --opt device=/srv/data'] });
    }
  }
  return options;
}

/** the mount a volume with options needs on its data folder, or undefined for a plain folder */
export function localDriverMount(options: Record<string, string>, dataDir: string): MountDescriptor | undefined {
  if (!options.type || !options.device) return undefined;
  return { type: options.type, source: options.device, target: dataDir, options: options.o ? options.o.split(',') : [] };
}
