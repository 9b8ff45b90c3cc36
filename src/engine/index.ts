// boxlabd's public surface for the other planes (design: `vm`, `engine`, `labs`, `web` do not import
// each other's internals). At run time the planes meet through the Docker API; this is for what happens
// with no engine running, e.g. the VM image build filling a guest's engine root ahead of its first boot.
import { createReadStream, promises as fs } from 'node:fs';
import { enginePaths } from '../core/paths.js';
import { LocalImageStore } from './images/local-image-store.js';

/**
 * `docker load` of a docker-archive tarball into the engine root `root`, done offline by the image store
 * itself (the same code as POST /images/load); the root's records hold only relative paths, so the tree
 * can be copied elsewhere. Returns the names loaded.
 */
export async function loadImageArchive(root: string, tarball: string): Promise<string[]> {
  const paths = enginePaths(root);
  const store = new LocalImageStore(paths);
  await store.init();
  const loaded = await store.load(createReadStream(tarball));
  // the load's scratch space: a running engine empties it at start, an offline load leaves none behind
  await fs.rm(paths.tmp, { recursive: true, force: true });
  return loaded;
}
