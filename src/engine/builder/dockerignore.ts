// .dockerignore: patterns of context files the build must not see. The docker CLI already leaves them
// out of the context it sends; the engine applies them again, for other clients and for COPY. Rules as
// Docker's (moby/patternmatcher): Go filepath.Match globs per path segment, `**` for any number of
// segments, `!` re-includes, the last matching pattern wins, and a pattern matches a folder's contents.

export interface IgnorePattern {
  exclusion: boolean;
  regex: RegExp;
  source: string;
}

function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function globToRegex(pattern: string): RegExp {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // "**/" matches zero or more folders; a trailing "**" matches everything
        if (pattern[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('^') || cls.startsWith('!')) cls = '^' + cls.slice(1);
        out += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      out += pattern[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(out + '(?:/.*)?$', 's');
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    line = line.trim();
    if (line === '') continue;
    let exclusion = false;
    if (line.startsWith('!')) {
      exclusion = true;
      line = line.slice(1).trim();
    }
    const cleaned = cleanPath(line);
    if (cleaned === '') continue;
    out.push({ exclusion, regex: globToRegex(cleaned), source: line });
  }
  return out;
}

/** is this context-relative path ignored? */
export function isIgnored(relPath: string, patterns: readonly IgnorePattern[]): boolean {
  const p = cleanPath(relPath);
  let ignored = false;
  for (const pat of patterns) {
    if (pat.regex.test(p)) ignored = !pat.exclusion;
  }
  return ignored;
}
