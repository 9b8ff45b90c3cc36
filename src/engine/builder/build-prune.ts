// `docker builder prune` (POST /build/prune) for the classic builder: its cache is build/cache.json, which
// maps (parent image, instruction) to the intermediate image a step made. Pruning forgets every entry and
// deletes the intermediate images nothing else needs: untagged, not the result of a build (those have a
// build record, `boxlab explain build` reads it), not the parent of another image (dockerd keeps those:
// `docker images -a` shows them), not used by a container; in practice, what failed builds left. Layers
// a kept image still uses stay; SpaceReclaimed counts the layer blobs actually deleted.
import { existsSync } from 'node:fs';
import type { EnginePaths } from '../../core/paths.js';
import type { ImageStore } from '../images/image-store.js';
import type { Tracer } from '../trace/tracer.js';
import { BuildCache } from './build-cache.js';
import { buildRecordFile } from './builder.js';
import path from 'node:path';

export interface BuildPruneResult {
  /** ids of the intermediate images deleted */
  CachesDeleted: string[];
  SpaceReclaimed: number;
}

export async function pruneBuildCache(
  deps: { paths: EnginePaths; images: ImageStore; isInUse: (imageId: string) => boolean; tracer?: Tracer },
): Promise<BuildPruneResult> {
  const cache = new BuildCache(path.join(deps.paths.root, 'build'));
  const ids = await cache.imageIds();
  await cache.clear();
  const deleted: string[] = [];
  let space = 0;
  const parentOf = async () => new Set((await deps.images.list()).map((r) => (r as { parent?: string }).parent).filter((p): p is string => !!p));
  // children first: once a failed build's last image is gone, its parent has no child left
  for (const id of ids.reverse()) {
    const image = await deps.images.resolve(id).catch(() => undefined);
    if (!image || image.repoTags.length > 0 || image.repoDigests.length > 0) continue;
    if (existsSync(buildRecordFile(deps.paths, image.id)) || deps.isInUse(image.id) || (await parentOf()).has(image.id)) continue;
    const sizes = new Map(image.layers.map((l) => [l.chainId, l.size]));
    const result = await deps.images.remove(image.id, { isInUse: deps.isInUse }).catch(() => []);
    if (!result.some((r) => r.Deleted === image.id)) continue;
    deleted.push(image.id);
    for (const r of result) if (r.Deleted && sizes.has(r.Deleted)) space += sizes.get(r.Deleted)!;
  }
  deps.tracer?.emit('build', 'cleanup', { what: `build cache: ${ids.length} entries forgotten, ${deleted.length} intermediate images deleted` });
  return { CachesDeleted: deleted, SpaceReclaimed: space };
}
