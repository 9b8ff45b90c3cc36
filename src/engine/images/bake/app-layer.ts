// Builds an app image's second layer the way `docker build` builds a RUN layer: the Debian base is the
// read-only lower layer of an overlayfs mount, `chroot <merged> apt-get install` writes into the upper
// layer, and the upper layer (what changed) becomes the image layer. /proc, a minimal /dev, DNS and the
// apt caches are mounted into the chroot only while apt runs (mounts do not write into the upper layer),
// and a policy-rc.d forbids package scripts from starting services on the host's kernel.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../core/errors.js';
import { run } from '../../../core/exec.js';
import type { AppRecipe } from './app-recipes.js';
import { emptyFolders, packLayer } from './debian-base.js';
import { upperToOciLayer } from './overlay-layer.js';

/** emptied in the upper layer after the install: folders the base has empty, so only the install's files go */
export const APP_TRIM = ['usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'usr/share/lintian', 'var/cache/apt', 'var/lib/apt/lists', 'tmp'];

/** character devices of major 1 (mem) that apt, dpkg and package scripts open */
const DEV_NODES: Array<[string, number]> = [['null', 3], ['zero', 5], ['full', 7], ['random', 8], ['urandom', 9]];

const POLICY_RC_D = '#!/bin/sh\n# boxlab image bake: no service starts while packages install\nexit 101\n';

export interface AppLayerOptions {
  /** the base's unpacked root (overlay lowerdir) */
  lower: string;
  /** a folder of ours on a filesystem that overlayfs accepts as upper (not overlay, not tmpfs-in-overlay) */
  workDir: string;
  /** shared apt state: lists/ and archives/ survive between bakes so later bakes download nothing */
  aptCacheDir: string;
  layerFile: string;
  progress?: (line: string) => void;
}

export interface AppLayerResult {
  diffId: string;
  size: number;
  /** "package=version" of the requested packages */
  versions: string[];
  whiteouts: string[];
}

const CHROOT_ENV = {
  DEBIAN_FRONTEND: 'noninteractive',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
  HOME: '/root',
};

/** the files of var/log go, its folders stay (nginx and apache refuse to start without theirs) */
async function removeFilesKeepDirs(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const p = path.join(dir, name);
    const st = await fs.lstat(p);
    if (st.isDirectory()) await removeFilesKeepDirs(p);
    else await fs.rm(p, { force: true });
  }
}

async function unmount(target: string): Promise<void> {
  const res = await run('umount', [target], { allowFailure: true });
  // a process a package script left behind can keep it busy: detach it rather than leak the mount
  if (res.exitCode !== 0) await run('umount', ['-l', target], { allowFailure: true });
}

export async function buildAppLayer(recipe: AppRecipe, options: AppLayerOptions): Promise<AppLayerResult> {
  const progress = options.progress ?? (() => undefined);
  const upper = path.join(options.workDir, 'upper');
  const work = path.join(options.workDir, 'work');
  const merged = path.join(options.workDir, 'merged');
  const lists = path.join(options.aptCacheDir, 'lists');
  const archives = path.join(options.aptCacheDir, 'archives');
  for (const d of [upper, work, merged, path.join(lists, 'partial'), path.join(archives, 'partial')]) await fs.mkdir(d, { recursive: true });
  await fs.chmod(upper, 0o755);

  const mounted: string[] = [];
  const mount = async (args: string[], target: string) => {
    await run('mount', [...args, target]);
    mounted.push(target);
  };
  const unmountAll = async (keep = 0) => {
    while (mounted.length > keep) await unmount(mounted.pop()!);
  };
  let versions: string[] = [];
  try {
    progress(`${recipe.name}: overlay mount (lower: the debian base, upper: the new layer)`);
    await mount(['-t', 'overlay', 'overlay', '-o', `lowerdir=${options.lower},upperdir=${upper},workdir=${work}`], merged);
    await mount(['-t', 'proc', 'proc'], path.join(merged, 'proc'));
    // a small /dev of our own (never the host's: nothing done in the chroot can reach real devices)
    await mount(['-t', 'tmpfs', '-o', 'mode=755,nosuid,size=1m', 'tmpfs'], path.join(merged, 'dev'));
    for (const [name, minor] of DEV_NODES) await run('mknod', ['-m', '666', path.join(merged, 'dev', name), 'c', '1', String(minor)]);
    await mount(['--bind', lists], path.join(merged, 'var/lib/apt/lists'));
    await mount(['--bind', archives], path.join(merged, 'var/cache/apt/archives'));
    const resolv = path.join(merged, 'etc/resolv.conf');
    const resolvSt = await fs.lstat(resolv).catch(() => undefined);
    const madeResolv = resolvSt === undefined;
    if (madeResolv) await fs.writeFile(resolv, '');
    if (madeResolv || resolvSt?.isFile()) await mount(['--bind', '-o', 'ro', '/etc/resolv.conf'], resolv);
    const policy = path.join(merged, 'usr/sbin/policy-rc.d');
    await fs.writeFile(policy, POLICY_RC_D, { mode: 0o755 });

    const chroot = (args: string[]) => run('chroot', [merged, ...args], { env: CHROOT_ENV, timeout: 20 * 60_000 });
    progress(`${recipe.name}: apt-get update`);
    await chroot(['apt-get', '-q', 'update']);
    progress(`${recipe.name}: apt-get install -y --no-install-recommends ${recipe.packages.join(' ')}`);
    await chroot(['apt-get', '-q', '-y', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confold', 'install', ...recipe.packages]);
    const query = await chroot(['dpkg-query', '-W', '-f', '${Package}=${Version}\n', ...recipe.packages]);
    versions = query.stdout.split('\n').filter(Boolean);
    progress(`${recipe.name}: installed ${versions.join(' ')}`);

    await unmountAll(1); // everything but the overlay itself
    await fs.rm(policy, { force: true });
    if (madeResolv) await fs.rm(resolv, { force: true });

    // the base's var/log is empty, so what is there now is the install's (no whiteouts needed)
    await removeFilesKeepDirs(path.join(merged, 'var/log'));
    for (const rel of recipe.remove ?? []) await fs.rm(path.join(merged, rel), { force: true, recursive: true });
    for (const dir of recipe.dirs ?? []) await fs.mkdir(path.join(merged, dir), { recursive: true, mode: 0o755 });
    for (const file of recipe.files ?? []) {
      await fs.mkdir(path.dirname(path.join(merged, file.path)), { recursive: true });
      await fs.writeFile(path.join(merged, file.path), file.content, { mode: file.mode });
      await fs.chmod(path.join(merged, file.path), file.mode);
    }
    for (const link of recipe.symlinks ?? []) {
      const p = path.join(merged, link.path);
      await fs.mkdir(path.dirname(p), { recursive: true });
      await fs.rm(p, { force: true, recursive: true });
      await fs.symlink(link.target, p);
    }
  } catch (err) {
    throw err instanceof AppError ? new AppError(err.code, `baking ${recipe.name} failed: ${err.message}`, { cause: err, suggestions: err.suggestions }) : err;
  } finally {
    await unmountAll();
  }
  // trimmed in the upper layer itself: removing there drops the install's files without whiteouts
  // (through the mount, removing the base's empty apt folders would record deletions)
  progress(`${recipe.name}: trimming docs, man pages, locales, apt caches and logs`);
  await emptyFolders(upper, APP_TRIM);
  const { whiteouts, opaque } = await upperToOciLayer(upper, options.lower);
  progress(`${recipe.name}: packing the layer (${whiteouts.length} deletions, ${opaque.length} replaced folders)`);
  const { diffId, size } = await packLayer(upper, options.layerFile);
  progress(`${recipe.name}: layer ${diffId.slice(7, 19)} is ${(size / 1e6).toFixed(1)} MB`);
  return { diffId, size, versions, whiteouts };
}
