// Which Debian kernel the sandbox boots: the versioned package that the metapackage linux-image-amd64
// depends on. apt-cache takes ~0.8 s here (without pkgcache.bin it parses apt's lists on every run) and
// every `boxlab vm create` asks, to find its cached image; so the answer is kept next to the images and
// asked again only when apt's lists change (`apt-get update` rewrites /var/lib/apt/lists).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../core/atomic-file.js';
import { AppError } from '../../core/errors.js';
import { run } from '../../core/exec.js';

const APT_LISTS = '/var/lib/apt/lists';

/** `apt-cache depends linux-image-amd64` output -> "linux-image-6.1.0-56-amd64" */
export function parseKernelDepends(text: string): string | undefined {
  return text.match(/Depends:\s+(linux-image-[0-9][^\s]*-amd64)/)?.[1];
}

export async function pickKernelPackage(cacheRoot: string): Promise<string> {
  const lists = await fs.stat(APT_LISTS).then((s) => String(Math.floor(s.mtimeMs)), () => 'none');
  const memo = path.join(cacheRoot, 'kernel-package.json');
  const known = JSON.parse(await fs.readFile(memo, 'utf8').catch(() => '{}')) as { lists?: string; package?: string };
  if (known.lists === lists && known.package) return known.package;
  const r = await run('apt-cache', ['depends', 'linux-image-amd64'], { allowFailure: true });
  const pkg = parseKernelDepends(r.stdout);
  if (!pkg) {
    throw new AppError('FAILED_PRECONDITION', 'cannot find the debian kernel package (linux-image-amd64) in apt', {
      suggestions: ['run apt-get update', 'the vm image is built from Debian 12 packages'],
    });
  }
  await fs.mkdir(cacheRoot, { recursive: true });
  await writeJsonAtomic(memo, { lists, package: pkg });
  return pkg;
}
