// boxlabd for the sandbox image as one CommonJS file (esbuild, a dev dependency) plus V8's code cache for
// it: under TCG every module load and every compiled function is emulated, so the guest starts the engine
// from one file whose bytecode the host already produced. vm-images/qemu/boxlabd-loader.cjs loads it.
// Without esbuild the guest falls back to the CLI (`boxlab engine start`), slower but the same engine.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../core/exec.js';

/** the files the guest's init looks for under /opt/boxlab */
export const ENGINE_BUNDLE_FILES = ['boxlabd-loader.cjs', 'boxlabd.cjs', 'boxlabd.cjs.cache'];

/**
 * Writes boxlabd.cjs, boxlabd-loader.cjs and boxlabd.cjs.cache into dest. node is the guest's node binary
 * (the cache is only valid for the V8 that made it). Returns false when esbuild is not installed.
 */
export async function bundleEngine(recipeDir: string, dest: string, node: string): Promise<boolean> {
  let esbuild: { build(o: Record<string, unknown>): Promise<unknown> };
  try {
    esbuild = (await import('esbuild' as string)) as typeof esbuild;
  } catch {
    return false;
  }
  await esbuild.build({
    entryPoints: [path.join(recipeDir, 'boxlabd-entry.mjs')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: path.join(dest, 'boxlabd.cjs'),
    logLevel: 'silent',
    // native addons stay in node_modules (node-pty loads at the first tty exec)
    external: ['node-pty', 'better-sqlite3', 'ssh2', 'cpu-features'],
  });
  await fs.copyFile(path.join(recipeDir, 'boxlabd-loader.cjs'), path.join(dest, 'boxlabd-loader.cjs'));
  await run(node, [path.join(dest, 'boxlabd-loader.cjs'), '--produce-cache']);
  return true;
}
