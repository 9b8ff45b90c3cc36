// The build context: the tar the client sends with POST /build, unpacked into a private folder. Every
// entry name is checked (no absolute paths, no "..": a context cannot reach outside itself), links are
// kept as links and never followed, and .dockerignore'd files are left out.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { invalidArgument } from '../../core/errors.js';
import { normalizeEntryPath } from '../images/tar-entry-path.js';
import { isIgnored, parseDockerignore, type IgnorePattern } from './dockerignore.js';

export interface BuildContext {
  dir: string;
  ignore: IgnorePattern[];
}

export async function extractContext(body: Readable, dir: string): Promise<BuildContext> {
  await fs.mkdir(dir, { recursive: true });
  const extract = tar.extract();
  const links: Array<{ from: string; to: string }> = [];
  const done = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const norm = normalizeEntryPath(h.name);
      if (!norm.ok) {
        entry.resume();
        throw invalidArgument(`build context entry "${h.name}" ${norm.reason}: a context cannot name files outside itself`);
      }
      const target = path.join(dir, norm.path);
      if (norm.path === '') {
        entry.resume();
        continue;
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      const mode = (h.mode ?? 0o644) & 0o7777;
      if (h.type === 'directory') {
        await fs.mkdir(target, { recursive: true, mode });
        entry.resume();
      } else if (h.type === 'symlink') {
        await fs.rm(target, { force: true, recursive: true });
        await fs.symlink(h.linkname ?? '', target);
        entry.resume();
      } else if (h.type === 'link') {
        const to = normalizeEntryPath(h.linkname ?? '', false);
        if (!to.ok) throw invalidArgument(`build context hard link "${h.name}" points outside the context`);
        links.push({ from: target, to: path.join(dir, to.path) });
        entry.resume();
      } else if (h.type === 'file' || h.type === 'contiguous-file') {
        await fs.rm(target, { force: true, recursive: true });
        await pipeline(entry, createWriteStream(target, { mode }));
        await fs.chmod(target, mode);
        if (h.mtime) await fs.utimes(target, h.mtime, h.mtime);
      } else {
        entry.resume(); // devices and fifos have no place in a context
      }
    }
  })();
  // the upload is kept as a file first: the CLI may have gzip-compressed it, which its first bytes tell
  const upload = `${dir}.upload`;
  try {
    await pipeline(body, createWriteStream(upload));
    const fh = await fs.open(upload, 'r');
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    await fh.close();
    const source = createReadStream(upload);
    const gz = head[0] === 0x1f && head[1] === 0x8b;
    await Promise.all([gz ? pipeline(source, createGunzip(), extract) : pipeline(source, extract), done]);
  } finally {
    await fs.rm(upload, { force: true });
  }
  for (const l of links) await fs.copyFile(l.to, l.from);
  const ignoreText = await fs.readFile(path.join(dir, '.dockerignore'), 'utf8').catch(() => '');
  return { dir, ignore: parseDockerignore(ignoreText) };
}

export { isIgnored };
