// Killercoda's markdown extensions -> boxlab lab text (pure). Killercoda marks a code span or fenced
// block with `{{exec}}` (click runs it in the terminal) or `{{copy}}` (copy button). boxlab's
// equivalent of a clickable command is a ```sh run fence (docs/lab-format.md), so every exec marker
// becomes one; copy markers are dropped (boxlab shows every code block as copyable text). Markers and
// placeholders boxlab cannot honour (`interrupt`, terminal tabs, other hosts, traffic URLs, Katacoda
// quizzes) are reported with file:line, never silently dropped.

export interface ImportNote {
  file: string;
  line?: number;
  /** unsupported: content boxlab cannot reproduce; warning: mapped, but check the result */
  kind: 'unsupported' | 'warning';
  message: string;
}

export interface ConvertedText {
  text: string;
  /** the commands of every exec marker, in order (they become the step's solution) */
  execs: string[];
  notes: ImportNote[];
}

const MARKER = /\{\{\s*(exec|execute|copy|open)?([^}]*)\}\}/;
const FENCE = /^(\s{0,3})(`{3,}|~{3,})(.*)$/;
const STRUCTURAL = /^(check|hint|solution|setup|teardown)\b/i;
const INLINE = /`([^`\n]+)`\{\{\s*(exec|execute|copy|open)?([^}]*)\}\}/g;

export function convertKillercodaMarkdown(source: string, file: string): ConvertedText {
  const notes: ImportNote[] = [];
  const execs: string[] = [];
  const out: string[] = [];
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const note = (line: number, kind: ImportNote['kind'], message: string) => notes.push({ file, line, kind, message });

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const fence = FENCE.exec(lines[i]);
    if (fence) {
      const [, indent, marker, rest] = fence;
      let j = i + 1;
      const close = new RegExp(`^\\s{0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}(.*)$`);
      let closing: RegExpExecArray | null = null;
      while (j < lines.length && !(closing = close.exec(lines[j]))) j++;
      const body = lines.slice(i + 1, j);
      // Killercoda writes the marker after the opening fence (```{{exec}}) or after the closing one (```{{exec}})
      const info = rest.trim();
      const onOpen = MARKER.exec(info)?.[0];
      const markerText = onOpen ?? (closing ? MARKER.exec(closing[1].trim())?.[0] : undefined);
      const markerLine = onOpen ? lineNo : j + 1;
      let lang = info.replace(MARKER, '').trim().replace(/\{[\d,\s-]+\}$/, '');
      if (STRUCTURAL.test(lang)) lang = `text ${lang}`;
      if (markerText) {
        const kind = markerKind(markerText, markerLine, note);
        if (kind === 'exec') {
          execs.push(body.join('\n'));
          out.push(`${indent}${marker}sh run`, ...body, `${indent}${marker}`);
        } else out.push(`${indent}${marker}${lang || 'sh'}`, ...body, `${indent}${marker}`);
      } else {
        out.push(`${indent}${marker}${lang}`, ...body, `${indent}${marker}`);
      }
      i = j;
      continue;
    }

    let line = lines[i];
    const lineExecs: string[] = [];
    line = line.replace(INLINE, (whole: string, code: string) => {
      const kind = markerKind(whole.slice(whole.lastIndexOf('{{')), lineNo, note);
      if (kind === 'exec') lineExecs.push(code);
      return `\`${code}\``;
    });
    placeholders(line, lineNo, note);
    if (/^\s*>>.*<<\s*$/.test(line)) note(lineNo, 'unsupported', 'Katacoda quiz (>>...<<) has no boxlab equivalent; turn it into a check');
    if (lineExecs.length > 0 && /^\s*(`[^`]+`\s*)+$/.test(line)) {
      // a line that is only the command(s): the runnable block replaces it
      for (const code of lineExecs) out.push('```sh run', code, '```');
    } else {
      out.push(line);
      for (const code of lineExecs) out.push('', '```sh run', code, '```');
    }
    execs.push(...lineExecs);
    // a bare ::: would close boxlab's language section early
    if (/^:::/.test(line)) {
      out[out.length - 1] = `\\${line}`;
      note(lineNo, 'warning', 'a line starting with ::: was escaped so it stays text');
    }
  }
  return { text: out.join('\n').trim(), execs, notes };
}

function markerKind(marker: string, line: number, note: (line: number, kind: ImportNote['kind'], message: string) => void): 'exec' | 'copy' | 'plain' {
  const m = MARKER.exec(marker);
  if (!m) return 'plain';
  const verb = m[1] ?? '';
  const extra = m[2].trim();
  if (verb === 'copy') return 'copy';
  if (verb === 'open') {
    note(line, 'unsupported', '{{open}} (open a file in the editor) has no boxlab equivalent; the block is shown as text');
    return 'copy';
  }
  if (verb === '') return 'plain';
  if (extra) note(line, 'unsupported', `{{${verb} ${extra}}}: "${extra}" (Ctrl-C first, terminal tabs, other hosts, key sequences) is not supported; the snippet runs as is in the one terminal`);
  return 'exec';
}

function placeholders(line: string, lineNo: number, note: (line: number, kind: ImportNote['kind'], message: string) => void): void {
  for (const m of line.matchAll(/\{\{(TRAFFIC_[A-Z0-9_]+)\}\}|\[\[(HOST\d*_IP|HOST_SUBDOMAIN|KATACODA_HOST)\]\]/g)) {
    note(lineNo, 'unsupported', `placeholder ${m[0]} (a URL or address of Killercoda's environment) is left as is; replace it with localhost and the port`);
  }
}
