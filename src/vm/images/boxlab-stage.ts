// boxlab itself in the guest (/opt/boxlab): the compiled code, bin/, the production node_modules (pruned:
// the initramfs lives in guest RAM), the bundled engine (engine-bundle.ts), and busybox already loaded into
// the guest's engine root, so the first boot has an image without a `docker load`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../core/exec.js';
import { loadImageArchive } from '../../engine/index.js';
import { bundleEngine } from './engine-bundle.js';
import { isFile } from './file-staging.js';
import { BOXLAB_ROOT, GUEST_NODE, RECIPE_DIR } from './image-sources.js';

/** the production dependency closure of package.json, walked through node_modules (hoisted layout) */
async function productionPackages(root: string): Promise<string[]> {
  const seen = new Set<string>();
  const visit = async (from: string, deps: Record<string, string>) => {
    for (const name of Object.keys(deps)) {
      let dir = from;
      let found: string | undefined;
      for (;;) {
        const candidate = path.join(dir, 'node_modules', name);
        if (await fs.stat(path.join(candidate, 'package.json')).then(() => true, () => false)) {
          found = candidate;
          break;
        }
        if (dir === root) break;
        dir = path.dirname(dir);
      }
      if (!found || seen.has(found)) continue;
      seen.add(found);
      const pj = JSON.parse(await fs.readFile(path.join(found, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      await visit(found, { ...pj.dependencies, ...pj.optionalDependencies });
    }
  };
  const pj = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  await visit(root, pj.dependencies ?? {});
  return [...seen].sort();
}

export async function stageBoxlab(stage: string): Promise<void> {
  const dest = path.join(stage, 'opt/boxlab');
  await fs.mkdir(path.join(dest, 'dist'), { recursive: true });
  // the CLI's bundle is all the guest runs (ADR 0028: bin/run.js and the engine's fallback start import
  // dist/cli, the engine's own bundle is made from dist/src here): not dist/src, and no source maps (the
  // initramfs lives in guest RAM; with them a 768 MiB node's initramfs no longer unpacked)
  await run('cp', ['-a', path.join(BOXLAB_ROOT, 'dist/cli'), path.join(dest, 'dist/')]);
  await removeFiles(path.join(dest, 'dist'), /\.map$/);
  await run('cp', ['-a', path.join(BOXLAB_ROOT, 'bin'), path.join(BOXLAB_ROOT, 'package.json'), dest + '/']);
  if (isFile(path.join(BOXLAB_ROOT, 'oclif.manifest.json'))) await fs.copyFile(path.join(BOXLAB_ROOT, 'oclif.manifest.json'), path.join(dest, 'oclif.manifest.json'));
  for (const pkg of await productionPackages(BOXLAB_ROOT)) {
    const rel = path.relative(BOXLAB_ROOT, pkg);
    await fs.mkdir(path.dirname(path.join(dest, rel)), { recursive: true });
    await run('cp', ['-a', pkg, path.dirname(path.join(dest, rel)) + '/']);
    // nested node_modules were copied along; native build leftovers are not needed at run time
    await fs.rm(path.join(dest, rel, 'build', 'Release', 'obj.target'), { recursive: true, force: true });
  }
  await pruneNodeModules(path.join(dest, 'node_modules'));
  await fs.symlink('/opt/boxlab/bin/run.js', path.join(stage, 'usr/bin/boxlab'));
  await bundleEngine(RECIPE_DIR, dest, GUEST_NODE);
  const tar = path.join(stage, 'tmp', 'busybox.tar');
  await run(process.execPath, [path.join(BOXLAB_ROOT, 'bin/run.js'), 'image', 'bake', 'busybox', '--output', tar], { timeout: 300_000 });
  await preloadImage(path.join(stage, 'var/lib/boxlab'), tar);
  await fs.rm(tar);
}

/**
 * `docker load` at image-build time instead of at every first boot (~7 s under TCG): the engine's own
 * image store unpacks the tarball into the staged /var/lib/boxlab, whose records hold only relative
 * paths; preloaded-images.ts copies that tree onto the data disk image (init.sh copies it to a data disk
 * that lacks it). The marker keeps init from loading it again.
 */
async function preloadImage(engineRoot: string, tarball: string): Promise<void> {
  await loadImageArchive(engineRoot, tarball);
  await fs.writeFile(path.join(engineRoot, `.loaded-${path.basename(tarball)}`), '');
}

/** the initramfs lives in guest RAM: drop native sources, other platforms' prebuilds, types and maps */
async function pruneNodeModules(dir: string): Promise<void> {
  const rm = (p: string) => fs.rm(path.join(dir, p), { recursive: true, force: true });
  for (const p of ['node-pty/deps', 'node-pty/third_party', 'node-pty/src', 'better-sqlite3/deps', 'better-sqlite3/src', 'better-sqlite3/build/deps', 'better-sqlite3/build/Release/obj', 'better-sqlite3/build/Release/.deps']) await rm(p);
  const pre = path.join(dir, 'node-pty/prebuilds');
  for (const p of await fs.readdir(pre).catch(() => [] as string[])) if (p !== `${process.platform}-${process.arch}`) await rm(path.join('node-pty/prebuilds', p));
  await removeFiles(dir, /^(?!readme|license).*\.(d\.ts|map|md|markdown)$/i);
}

/** deletes the files under dir whose names match */
async function removeFiles(dir: string, name: RegExp): Promise<void> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await removeFiles(p, name);
    else if (name.test(e.name)) await fs.rm(p, { force: true });
  }
}
