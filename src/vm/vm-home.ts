// Where boxlab keeps sandboxes on the host: ~/.local/share/boxlab (or $BOXLAB_HOME) for VM records and
// disks, ~/.cache/boxlab (or $BOXLAB_CACHE) for built VM images, which can always be rebuilt.
import os from 'node:os';
import path from 'node:path';

export function boxlabHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BOXLAB_HOME) return env.BOXLAB_HOME;
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'boxlab');
}

export function boxlabCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BOXLAB_CACHE) return env.BOXLAB_CACHE;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'boxlab');
}

export function vmsDir(home: string = boxlabHome()): string {
  return path.join(home, 'vms');
}

export function vmImagesCache(cache: string = boxlabCache()): string {
  return path.join(cache, 'vm-images');
}
