// Where the engine keeps everything, derived from one root (default /var/lib/boxlab).
// docs/internals.md lists every file under these folders.
import path from 'node:path';

export const DEFAULT_ENGINE_ROOT = '/var/lib/boxlab';
export const DEFAULT_ENGINE_SOCKET = '/run/boxlab/docker.sock';

export interface EnginePaths {
  root: string;
  /** OCI image layout: blobs/sha256/<hex>, index.json */
  content: string;
  /** image records (tags, config digests), one JSON file per image, and unpacked layers (images/layers/<chainid>/fs) */
  images: string;
  /** container layers (snapshots/containers/<id>), the init layer, short links */
  snapshots: string;
  /** one folder per container: container.json, config.json (OCI bundle), logs, fifos, trace */
  containers: string;
  /** named volumes: volumes/<name>/_data and volumes/<name>/volume.json */
  volumes: string;
  /** runc's state root (runc --root) */
  runcRoot: string;
  /** temporary work (uploads, unpacking) that may be deleted on start */
  tmp: string;
  /** the engine's single lock file */
  lock: string;
}

export function enginePaths(root: string = DEFAULT_ENGINE_ROOT): EnginePaths {
  return {
    root,
    content: path.join(root, 'content'),
    images: path.join(root, 'images'),
    snapshots: path.join(root, 'snapshots'),
    containers: path.join(root, 'containers'),
    volumes: path.join(root, 'volumes'),
    runcRoot: path.join(root, 'runc'),
    tmp: path.join(root, 'tmp'),
    lock: path.join(root, 'engine.lock'),
  };
}
