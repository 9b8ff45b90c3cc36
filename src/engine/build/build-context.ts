// The build context: the tar the client sends with POST /build, unpacked into a private folder. Every
// entry name is checked (no absolute paths, no "..": a context cannot reach outside itself), links are
// kept as links and never followed, and .dockerignore'd files are left out.
import { createWriteStream, promises as fs } from 'node:fs';
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

/** peeks at the first bytes: the CLI may send the context gzip-compressed */
async function maybeGunzip(source: Readable): Promise<Readable> {
  const first: Buffer | null = await new Promise((resolve) => {
    const onReadable = () => {
      const chunk = source.read() as Buffer | null;
      if (chunk === null && !source.readableEnded) return;
      source.off('readable', onReadable);
      source.off('end', onEnd);
      resolve(chunk);
    };
    const onEnd = () => {
      source.off('readable', onReadable);
      resolve(null);
    };
    source.on('readable', onReadable);
    source.once('end', onEnd);
  });
  if (first === null) return source;
  source.unshift(first);
  return first[0] === 0x1f && first[1] === 0x8b ? source.pipe(createGunzip()) : source;
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
  const source = await maybeGunzip(body);
  await Promise.all([pipeline(source, extract), done]);
  for (const l of links) await fs.copyFile(l.to, l.from);
  const ignoreText = await fs.readFile(path.join(dir, '.dockerignore'), 'utf8').catch(() => '');
  return { dir, ignore: parseDockerignore(ignoreText) };
}

export { isIgnored };
