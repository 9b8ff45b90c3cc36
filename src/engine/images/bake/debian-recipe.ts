// The offline debian image: the cached Debian base layer (debian-base.ts: debootstrap minbase, trimmed
// like the -slim images) as a one-layer image. Tagged debian:bookworm-slim, debian:bookworm and debian:latest.
import { createReadStream } from 'node:fs';
import type { ArchiveImage } from '../docker-archive-writer.js';
import { hostArchitecture } from '../image-config.js';
import { BAKE_EPOCH, DEFAULT_PATH_ENV, type RecipeOptions } from './busybox-recipe.js';
import { debianBase, DEBIAN_SUITE } from './debian-base.js';

export { DEBIAN_SUITE, DEBIAN_TRIM } from './debian-base.js';
export const DEBIAN_TAGS = ['debian:bookworm-slim', 'debian:bookworm', 'debian:latest'];

export interface DebianImage extends ArchiveImage {
  /** nothing to remove any more (the layer lives in the bake cache); kept for callers that call it */
  dispose(): Promise<void>;
}

/** the base's history entry, shared by every image built on it */
export function debianHistory(mirror: string): { created: string; created_by: string } {
  return { created: BAKE_EPOCH.toISOString(), created_by: `boxlab image bake debian (debootstrap --variant=minbase ${DEBIAN_SUITE} ${mirror})` };
}

export function debianConfig(diffId: string, mirror: string, architecture = hostArchitecture()): Buffer {
  const created = BAKE_EPOCH.toISOString();
  return Buffer.from(
    JSON.stringify({
      architecture,
      config: { Env: [DEFAULT_PATH_ENV], Cmd: ['bash'] },
      created,
      history: [debianHistory(mirror)],
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
}

export async function bakeDebian(options: RecipeOptions = {}): Promise<DebianImage> {
  const base = await debianBase({ progress: options.progress, cacheDir: options.cacheDir });
  return {
    config: debianConfig(base.meta.diffId, base.meta.mirror),
    repoTags: [...DEBIAN_TAGS],
    layers: [{ diffId: base.meta.diffId, size: base.meta.size, open: () => createReadStream(base.layerFile) }],
    dispose: async () => undefined,
  };
}
