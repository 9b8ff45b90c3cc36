// Copying host files into the image's staged root filesystem: a file keeps its mode, a binary brings the
// shared libraries ldd names, and both lose their symbols (the initramfs is unpacked at every boot).
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../core/exec.js';
import { parseLddOutput } from './qemu-image-recipe.js';

/** is there a regular file at p (after links)? */
export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export async function copyFileInto(root: string, file: string, as = file): Promise<void> {
  const dest = path.join(root, as);
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await fs.copyFile(await fs.realpath(file), dest);
  const st = await fs.stat(file);
  await fs.chmod(dest, st.mode & 0o7777);
}

export async function copyWithLibs(root: string, file: string, as?: string): Promise<void> {
  await copyFileInto(root, file, as);
  const copied = [path.join(root, as ?? file)];
  const ldd = await run('ldd', [file], { allowFailure: true });
  if (ldd.exitCode === 0) {
    for (const lib of parseLddOutput(ldd.stdout)) {
      if (await fs.stat(path.join(root, lib)).then(() => true, () => false)) continue;
      await copyFileInto(root, lib);
      copied.push(path.join(root, lib));
    }
  }
  await stripSymbols(copied);
}

/**
 * Symbols and debug info are dead weight in the initramfs, and the kernel unpacks every byte of it at
 * each boot (~10 ms per MB under TCG): stripping node and the docker client alone saves ~26 MB. Without
 * binutils' strip the files stay as they are.
 */
async function stripSymbols(files: string[]): Promise<void> {
  await run('strip', ['--strip-unneeded', ...files], { allowFailure: true });
}
