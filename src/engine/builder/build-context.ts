// The build context: the tar the client sends with POST /build, unpacked into a private folder the way
// Docker unpacks it (root-writer.ts): every name stays inside the folder, a symlink in the context is never
// followed out of it, links are kept as links. The .dockerignore is read inside the context too.
import { createWriteStream, promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readFileInRoot } from '../../core/scoped-path.js';
import { isIgnored, parseDockerignore, type IgnorePattern } from './dockerignore.js';
import { untarFileInRoot } from './root-writer.js';

export interface BuildContext {
  dir: string;
  ignore: IgnorePattern[];
}

export async function extractContext(body: Readable, dir: string): Promise<BuildContext> {
  await fs.mkdir(dir, { recursive: true });
  // the upload is kept as a file first: the CLI may have gzip-compressed it, which its first bytes tell
  const upload = `${dir}.upload`;
  try {
    await pipeline(body, createWriteStream(upload));
    await untarFileInRoot(upload, dir, { label: 'build context' });
  } finally {
    await fs.rm(upload, { force: true });
  }
  const ignoreText = (await readFileInRoot(dir, '.dockerignore').catch(() => undefined)) ?? '';
  return { dir, ignore: parseDockerignore(ignoreText) };
}

export { isIgnored };
