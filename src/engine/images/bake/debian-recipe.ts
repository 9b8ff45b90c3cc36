// The offline debian image: `debootstrap --variant=minbase bookworm` (essential packages + apt) from the
// machine's configured Debian mirror, trimmed of docs, man pages, locales and apt lists like Docker Hub's
// -slim images, packed as one layer. Tagged debian:bookworm-slim, debian:bookworm and debian:latest.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../core/exec.js';
import type { ArchiveImage } from '../docker-archive-writer.js';
import { hostArchitecture } from '../image-config.js';
import { BAKE_EPOCH, DEFAULT_PATH_ENV, type RecipeOptions } from './busybox-recipe.js';
import { debianMirror } from './debian-mirror.js';

export const DEBIAN_SUITE = 'bookworm';
export const DEBIAN_TAGS = ['debian:bookworm-slim', 'debian:bookworm', 'debian:latest'];

/** what is removed after debootstrap, relative to the root (like the -slim images' dpkg excludes) */
export const DEBIAN_TRIM = [
  'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'usr/share/lintian', 'usr/share/linda',
  'var/lib/apt/lists', 'var/cache/apt', 'var/cache/debconf/templates.dat-old', 'var/log', 'dev', 'run', 'tmp',
  'debootstrap',
];

export interface DebianImage extends ArchiveImage {
  /** removes the temporary rootfs and layer: call after the archive is written */
  dispose(): Promise<void>;
}

export function debianConfig(diffId: string, mirror: string, architecture = hostArchitecture()): Buffer {
  const created = BAKE_EPOCH.toISOString();
  return Buffer.from(
    JSON.stringify({
      architecture,
      config: { Env: [DEFAULT_PATH_ENV], Cmd: ['bash'] },
      created,
      history: [{ created, created_by: `boxlab image bake debian (debootstrap --variant=minbase ${DEBIAN_SUITE} ${mirror})` }],
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
}

async function aptSources(): Promise<string[]> {
  const texts: string[] = [];
  const read = async (f: string) => texts.push(await fs.readFile(f, 'utf8').catch(() => ''));
  await read('/etc/apt/sources.list');
  const dir = '/etc/apt/sources.list.d';
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const n of names.sort()) if (n.endsWith('.list') || n.endsWith('.sources')) await read(path.join(dir, n));
  return texts;
}

export async function bakeDebian(options: RecipeOptions = {}): Promise<DebianImage> {
  const progress = options.progress ?? (() => undefined);
  const work = path.join(options.workDir ?? os.tmpdir(), `boxlab-bake-debian-${randomBytes(4).toString('hex')}`);
  const rootfs = path.join(work, 'rootfs');
  const layerFile = path.join(work, 'layer.tar');
  await fs.mkdir(rootfs, { recursive: true });
  const dispose = () => fs.rm(work, { recursive: true, force: true });
  try {
    const mirror = debianMirror(await aptSources());
    progress(`debian: debootstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror} (takes a minute or two)`);
    await run('debootstrap', ['--variant=minbase', DEBIAN_SUITE, rootfs, mirror], { timeout: 20 * 60_000 });
    progress('debian: trimming docs, man pages, locales and apt lists');
    for (const rel of DEBIAN_TRIM) {
      const p = path.join(rootfs, rel);
      const st = await fs.lstat(p).catch(() => undefined);
      if (!st?.isDirectory()) continue;
      // keep the folder (and its mode), drop what is in it
      for (const child of await fs.readdir(p)) await fs.rm(path.join(p, child), { recursive: true, force: true });
    }
    await fs.rm(path.join(rootfs, 'debootstrap'), { recursive: true, force: true });
    await fs.mkdir(path.join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
    await fs.mkdir(path.join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    progress('debian: packing the layer');
    await run('tar', [
      '--create', '--file', layerFile, '--directory', rootfs, '--numeric-owner', '--sort=name',
      `--mtime=@${BAKE_EPOCH.getTime() / 1000}`, '--clamp-mtime', '.',
    ]);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(layerFile)) hash.update(chunk as Buffer);
    const diffId = `sha256:${hash.digest('hex')}`;
    const { size } = await fs.stat(layerFile);
    progress(`debian: layer ${diffId.slice(7, 19)} is ${(size / 1e6).toFixed(1)} MB`);
    return {
      config: debianConfig(diffId, mirror),
      repoTags: [...DEBIAN_TAGS],
      layers: [{ diffId, size, open: () => createReadStream(layerFile) }],
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}
