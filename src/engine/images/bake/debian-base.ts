// The Debian base layer every Debian-based lab image shares: `debootstrap --variant=minbase bookworm`
// (essential packages + apt) from the machine's configured Debian mirror, trimmed of docs, man pages,
// locales and apt lists like Docker Hub's -slim images, packed as one layer. It is built once and kept in
// the bake cache together with its unpacked root, which app recipes use as the read-only lower layer of
// an overlay mount (the same way a container's image layers sit under its writable layer).
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../../core/exec.js';
import { hostArchitecture } from '../image-config.js';
import { bakeCacheDir, cachedLayer, readCachedLayer, recipeHash, type CachedLayer, type CachedLayerMeta } from './bake-cache.js';
import { BAKE_EPOCH } from './busybox-recipe.js';
import { debianMirror } from './debian-mirror.js';

export const DEBIAN_SUITE = 'bookworm';

/** what is emptied after debootstrap, relative to the root (like the -slim images' dpkg excludes) */
export const DEBIAN_TRIM = [
  'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'usr/share/lintian', 'usr/share/linda',
  'var/lib/apt/lists', 'var/cache/apt', 'var/cache/debconf/templates.dat-old', 'var/log', 'dev', 'run', 'tmp',
  'debootstrap',
];

export interface DebianBaseMeta extends CachedLayerMeta {
  suite: string;
  mirror: string;
}

export interface DebianBase extends CachedLayer<DebianBaseMeta> {
  /** the unpacked layer: use it read-only (an overlay lowerdir) */
  rootfs: string;
}

export interface DebianBaseOptions {
  progress?: (line: string) => void;
  cacheDir?: string;
  /** apt sources texts (default: this machine's); the first main-archive URI is debootstrap's mirror */
  aptSources?: string[];
}

export async function readAptSources(): Promise<string[]> {
  const texts: string[] = [];
  const read = async (f: string) => texts.push(await fs.readFile(f, 'utf8').catch(() => ''));
  await read('/etc/apt/sources.list');
  const dir = '/etc/apt/sources.list.d';
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const n of names.sort()) if (n.endsWith('.list') || n.endsWith('.sources')) await read(path.join(dir, n));
  return texts;
}

/** empties each listed folder (keeping the folder and its mode): pure policy, done on a real tree */
export async function emptyFolders(root: string, rels: readonly string[]): Promise<void> {
  for (const rel of rels) {
    const p = path.join(root, rel);
    const st = await fs.lstat(p).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    for (const child of await fs.readdir(p)) await fs.rm(path.join(p, child), { recursive: true, force: true });
  }
}

/** GNU tar of a folder with fixed times and numeric owners, sorted: the same tree gives the same bytes */
export async function packLayer(dir: string, layerFile: string): Promise<{ diffId: string; size: number }> {
  await run('tar', [
    '--create', '--file', layerFile, '--directory', dir, '--numeric-owner', '--sort=name',
    `--mtime=@${BAKE_EPOCH.getTime() / 1000}`, '--clamp-mtime', '.',
  ]);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(layerFile)) hash.update(chunk as Buffer);
  const { size } = await fs.stat(layerFile);
  return { diffId: `sha256:${hash.digest('hex')}`, size };
}

/** the cache key of the base (pure): suite, mirror, trim list and architecture */
export function debianBaseKey(mirror: string, architecture = hostArchitecture()): string {
  return recipeHash('debian', { suite: DEBIAN_SUITE, mirror, trim: DEBIAN_TRIM, arch: architecture });
}

/** the cached base, without building it */
export async function findDebianBase(options: Pick<DebianBaseOptions, 'cacheDir' | 'aptSources'> = {}): Promise<CachedLayer<DebianBaseMeta> | undefined> {
  const mirror = debianMirror(options.aptSources ?? (await readAptSources()));
  return readCachedLayer<DebianBaseMeta>(path.join(options.cacheDir ?? bakeCacheDir(), debianBaseKey(mirror)));
}

export async function debianBase(options: DebianBaseOptions = {}): Promise<DebianBase> {
  const progress = options.progress ?? (() => undefined);
  const mirror = debianMirror(options.aptSources ?? (await readAptSources()));
  const cacheDir = options.cacheDir ?? bakeCacheDir();
  const key = debianBaseKey(mirror);
  const layer = await cachedLayer<DebianBaseMeta>(cacheDir, key, async (tmp) => {
    const rootfs = path.join(tmp, 'rootfs');
    await fs.mkdir(rootfs);
    progress(`debian: debootstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror} (takes a minute or two)`);
    await run('debootstrap', ['--variant=minbase', DEBIAN_SUITE, rootfs, mirror], { timeout: 20 * 60_000 });
    progress('debian: trimming docs, man pages, locales and apt lists');
    await emptyFolders(rootfs, DEBIAN_TRIM);
    await fs.rm(path.join(rootfs, 'debootstrap'), { recursive: true, force: true });
    await fs.mkdir(path.join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
    await fs.mkdir(path.join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
    progress('debian: packing the layer');
    const { diffId, size } = await packLayer(rootfs, path.join(tmp, 'layer.tar'));
    return { diffId, size, suite: DEBIAN_SUITE, mirror };
  });
  if (layer.reused) progress(`debian: debootstrap --variant=minbase ${DEBIAN_SUITE}: reusing the base layer cached in ${layer.dir}`);
  const rootfs = path.join(layer.dir, 'rootfs');
  if (!(await fs.stat(rootfs).catch(() => undefined))) {
    // a cache entry copied without its unpacked root (e.g. restored by CI): unpack it once
    const tmp = `${rootfs}.tmp`;
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.mkdir(tmp);
    await run('tar', ['--extract', '--file', layer.layerFile, '--directory', tmp, '--numeric-owner', '--same-permissions']);
    await fs.rename(tmp, rootfs);
  }
  progress(`debian: layer ${layer.meta.diffId.slice(7, 19)} is ${(layer.meta.size / 1e6).toFixed(1)} MB`);
  return { ...layer, rootfs };
}
