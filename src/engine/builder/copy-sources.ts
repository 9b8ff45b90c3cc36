// COPY and ADD sources: each source path (wildcards allowed, as Go's filepath.Match) resolved inside a
// source root (the context, a stage's or an image's root), never outside it: a symlink on the way is
// followed as if the root were "/" (Docker's FollowSymlinkInScope), so `COPY s/secret` with s -> /etc
// looks for etc/secret in the context, never in the host's /etc. Plus the checksum of what
// will be copied. The checksum (names, modes, link targets and file contents; not times) is what makes
// the build cache see a changed file, as Docker's classic builder does with its "file:<hash>" keys.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../core/errors.js';
import { resolveInRoot } from '../../core/scoped-path.js';
import { isIgnored, type IgnorePattern } from './dockerignore.js';

export interface CopySource {
  /** as written (after variable expansion) */
  pattern: string;
  /** root-relative path of each match */
  rel: string;
  hostPath: string;
  stat: Stats;
}

const GLOB = /[*?[\\]/;

function segmentRegex(pattern: string): RegExp {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw invalidArgument(`bad wildcard pattern "${pattern}": missing ]`);
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^') || cls.startsWith('!')) cls = '^' + cls.slice(1);
      out += `[${cls}]`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) out += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(out + '$', 's');
}

/** root-relative, refusing to leave the root */
export function relInRoot(p: string, what: string): string {
  const norm = path.posix.normalize('/' + p);
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  let depth = 0;
  for (const s of parts) {
    depth += s === '..' ? -1 : 1;
    if (depth < 0) {
      throw invalidArgument(`forbidden path outside the build context: ${p} (${what})`, {
        suggestions: ['COPY and ADD only see files inside the context folder: move the file into it'],
      });
    }
  }
  return norm.slice(1);
}

/** fromImage: root is a stage's or an image's rootfs (COPY --from), which changes the not-found message */
export async function resolveSources(root: string, patterns: readonly string[], ignore: readonly IgnorePattern[] = [], fromImage = false): Promise<CopySource[]> {
  const out: CopySource[] = [];
  for (const pattern of patterns) {
    const rel = relInRoot(pattern, pattern);
    if (!GLOB.test(rel)) {
      const hostPath = await resolveInRoot(root, rel);
      const stat = await fs.lstat(hostPath).catch(() => undefined);
      if (!stat || (rel !== '' && isIgnored(rel, ignore))) {
        throw invalidArgument(
          fromImage
            ? `COPY failed: stat ${rel}: file does not exist`
            : `COPY failed: file not found in build context or excluded by .dockerignore: stat ${pattern}: file does not exist`,
        );
      }
      out.push({ pattern, rel, hostPath, stat });
      continue;
    }
    const segments = rel.split('/');
    let matches = [''];
    for (const seg of segments) {
      const next: string[] = [];
      for (const m of matches) {
        if (!GLOB.test(seg)) {
          next.push(m === '' ? seg : `${m}/${seg}`);
          continue;
        }
        const re = segmentRegex(seg);
        const names = await fs.readdir(await resolveInRoot(root, m)).catch(() => [] as string[]);
        for (const n of names.sort()) if (re.test(n)) next.push(m === '' ? n : `${m}/${n}`);
      }
      matches = next;
    }
    let found = 0;
    for (const m of matches) {
      if (isIgnored(m, ignore)) continue;
      const hostPath = await resolveInRoot(root, m);
      const stat = await fs.lstat(hostPath).catch(() => undefined);
      if (!stat) continue;
      out.push({ pattern, rel: m, hostPath, stat });
      found++;
    }
    if (found === 0) throw invalidArgument(`COPY failed: no source files were specified: no file in the build context matches "${pattern}"`);
  }
  return out;
}

async function fileHash(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** sha256 over every file the sources copy (names relative to each source, modes, links, contents) */
export async function sourcesChecksum(sources: readonly CopySource[], root: string, ignore: readonly IgnorePattern[] = []): Promise<string> {
  const h = createHash('sha256');
  const visit = async (hostPath: string, name: string, stat: Stats): Promise<void> => {
    const rel = path.relative(root, hostPath);
    if (rel !== '' && isIgnored(rel, ignore)) return;
    const kind = stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : 'f';
    h.update(`${kind} ${name} ${(stat.mode & 0o7777).toString(8)}\n`);
    if (stat.isSymbolicLink()) h.update(await fs.readlink(hostPath));
    else if (stat.isFile()) h.update(await fileHash(hostPath));
    else if (stat.isDirectory()) {
      for (const child of (await fs.readdir(hostPath)).sort()) {
        const p = path.join(hostPath, child);
        await visit(p, `${name}/${child}`, await fs.lstat(p));
      }
    }
  };
  for (const s of sources) await visit(s.hostPath, path.basename(s.rel) || '.', s.stat);
  return h.digest('hex');
}
