// The build context: the tar the client sends with POST /build, unpacked into a private folder the way
// Docker unpacks it (root-writer.ts): every name stays inside the folder, a symlink in the context is never
// followed out of it, links are kept as links. The .dockerignore is read inside the context too.
import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { readFileInRoot } from '../../core/scoped-path.js';
import { sniffCompression } from '../images/archive-compression.js';
import { isIgnored, parseDockerignore, type IgnorePattern } from './dockerignore.js';
import { untarInRoot } from './root-writer.js';

export interface BuildContext {
  dir: string;
  ignore: IgnorePattern[];
}

export async function extractContext(body: Readable, dir: string): Promise<BuildContext> {
  await fs.mkdir(dir, { recursive: true });
  // unpacked as it arrives (no copy of the upload on disk first): the CLI may have gzip-compressed it,
  // which its first bytes tell; anything else is read as a plain tar, as before
  const { compression, stream } = await sniffCompression(body);
  if (compression === 'gzip') {
    const gunzip = createGunzip();
    stream.on('error', (err) => gunzip.destroy(err));
    await untarInRoot(stream.pipe(gunzip), dir, { label: 'build context' });
  } else {
    await untarInRoot(stream, dir, { label: 'build context' });
  }
  const ignoreText = (await readFileInRoot(dir, '.dockerignore').catch(() => undefined)) ?? '';
  return { dir, ignore: parseDockerignore(ignoreText) };
}

export { isIgnored };
