// The Dockerfile parser: text -> syntax tree, with buildkit's rules for parser directives (`# syntax=`,
// `# escape=`), comments, line continuations (the escape token at the end of a line), instruction flags
// (`--from=x`) and heredocs (`RUN <<EOF`). It does not expand variables: the builder does that per
// instruction, because ARG and ENV values change as the Dockerfile goes.
import { invalidArgument } from '../../../core/errors.js';
import { newNode, type DockerfileNode, type Heredoc } from './dockerfile-node.js';
import {
  DockerfileSyntaxError,
  isSpace,
  parseEnv,
  parseHealthConfig,
  parseIgnore,
  parseLabel,
  parseMaybeJson,
  parseMaybeJsonToList,
  parseNameOrNameVal,
  parseString,
  parseStringsWhitespaceDelimited,
  WHITESPACE,
  type LineParser,
  type ParseContext,
} from './line-parsers.js';

export interface ParseResult {
  ast: DockerfileNode;
  escapeToken: string;
  /** e.g. the `# syntax=` directive's value */
  directives: Record<string, string>;
  warnings: string[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const VALID_DIRECTIVES = new Set(['escape', 'syntax']);
const HEREDOC_COMMANDS = new Set(['run', 'copy', 'add']);
const HEREDOC_MARK = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

const DISPATCH: Record<string, LineParser> = {
  add: parseMaybeJsonToList,
  arg: parseNameOrNameVal,
  cmd: parseMaybeJson,
  copy: parseMaybeJsonToList,
  entrypoint: parseMaybeJson,
  env: parseEnv,
  expose: parseStringsWhitespaceDelimited,
  from: parseStringsWhitespaceDelimited,
  healthcheck: parseHealthConfig,
  label: parseLabel,
  maintainer: parseString,
  onbuild: (rest, ctx) => (rest === '' ? {} : { node: { ...newNode(), children: [nodeFromLine(rest, ctx)] } }),
  run: parseMaybeJson,
  shell: parseMaybeJson,
  stopsignal: parseString,
  user: parseString,
  volume: parseMaybeJsonToList,
  workdir: parseString,
};

/** leading `--flag[=value]` words of an instruction, and the rest of the line */
export function extractBuilderFlags(line: string): { rest: string; flags: string[] } {
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos <= line.length; pos++) {
    const atEnd = pos === line.length;
    let ch = atEnd ? '' : line[pos]!;
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isSpace(ch)) continue;
      // only words starting with "--" are flags (`--from=build`)
      if (ch !== '-' || pos + 1 === line.length || line[pos + 1] !== '-') {
        return { rest: line.slice(pos), flags: words };
      }
      phase = 'word';
    }
    if (atEnd) {
      if (word !== '--' && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (word === '--') return { rest: line.slice(pos), flags: words };
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === line.length) continue;
        pos++;
        ch = line[pos]!;
      }
      word += ch;
      continue;
    }
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === '\\') {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      pos++;
      ch = line[pos]!;
    }
    word += ch;
  }
  return { rest: '', flags: words };
}

function splitCommand(line: string): { cmd: string; flags: string[]; args: string } {
  const trimmed = line.trim();
  const m = WHITESPACE.exec(trimmed);
  const cmd = (m ? trimmed.slice(0, m.index) : trimmed).toLowerCase();
  if (!m) return { cmd, flags: [], args: '' };
  const { rest, flags } = extractBuilderFlags(trimmed.slice(m.index + m[0].length));
  return { cmd, flags, args: rest.trim() };
}

function nodeFromLine(line: string, ctx: ParseContext): DockerfileNode {
  const { cmd, flags, args } = splitCommand(line);
  const parser = DISPATCH[cmd] ?? parseIgnore; // unknown instructions are kept; the builder rejects them
  const { node: next, attrs } = parser(args, ctx);
  return { ...newNode(cmd, next), original: line, flags, attributes: attrs ?? {} };
}

interface Directives {
  escapeToken: string;
  continuation: RegExp;
  done: boolean;
  seen: Record<string, string>;
}

function setEscapeToken(d: Directives, token: string): void {
  if (token !== '`' && token !== '\\') throw new DockerfileSyntaxError(`invalid escape token '${token}' does not match \` or \\`);
  d.escapeToken = token;
  const t = '\\' + token;
  // the escape token at the end of a line continues it, unless it is itself escaped
  d.continuation = new RegExp(`([^${t}])${t}[ \\t]*$|^${t}[ \\t]*$`);
}

function possibleDirective(d: Directives, line: string): void {
  if (d.done) return;
  const m = DIRECTIVE.exec(line);
  const key = m?.[1]!.toLowerCase();
  if (!m || !key || !VALID_DIRECTIVES.has(key)) {
    d.done = true;
    return;
  }
  if (key in d.seen) throw new DockerfileSyntaxError(`only one ${key} parser directive can be used`);
  d.seen[key] = m[2]!;
  if (key === 'escape') setEscapeToken(d, m[2]!);
}

const trimLeft = (s: string) => s.replace(/^[\t\n\v\f\r \u0085\u00a0]+/, '');
const isComment = (s: string) => trimLeft(s).startsWith('#');

function trimContinuation(line: string, d: Directives): { line: string; end: boolean } {
  if (d.continuation.test(line)) return { line: line.replace(d.continuation, '$1'), end: false };
  return { line, end: true };
}

/** heredoc markers in an instruction's arguments, in order */
export function heredocMarkers(args: string): Array<{ name: string; chomp: boolean; quoted: boolean }> {
  const out: Array<{ name: string; chomp: boolean; quoted: boolean }> = [];
  for (const m of args.matchAll(HEREDOC_MARK)) out.push({ chomp: m[1] === '-', quoted: m[2] !== '', name: m[3]! });
  return out;
}

/**
 * Parses a Dockerfile. Errors are AppErrors (INVALID_ARGUMENT) whose message starts with `<file>:<line>:`.
 */
export function parseDockerfile(text: string, file = 'Dockerfile'): ParseResult {
  const d: Directives = { escapeToken: '\\', continuation: /$^/, done: false, seen: {} };
  setEscapeToken(d, '\\');
  let lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.endsWith('\n')) lines = lines.slice(0, -1);
  if (lines.length > 0) lines[0] = lines[0]!.replace(/^\uFEFF/, '');
  const root: DockerfileNode = { ...newNode(), startLine: -1 };
  const warnings: string[] = [];
  let i = 0;
  const fail = (err: unknown, line: number): never => {
    const message = err instanceof Error ? err.message : String(err);
    throw invalidArgument(`${file}:${line}: ${message}`, {
      suggestions: ['see https://docs.docker.com/reference/dockerfile/ for the instruction\'s syntax'],
    });
  };
  while (i < lines.length) {
    const raw = lines[i]!;
    let processed: string;
    try {
      const stripped = trimLeft(raw);
      possibleDirective(d, stripped);
      processed = stripped.startsWith('#') ? '' : stripped;
    } catch (err) {
      return fail(err, i + 1);
    }
    i++;
    const startLine = i;
    let { line, end } = trimContinuation(processed, d);
    if (end && line === '') continue;
    let emptyContinuation = false;
    while (!end && i < lines.length) {
      const next = lines[i]!;
      try {
        possibleDirective(d, next);
      } catch (err) {
        return fail(err, i + 1);
      }
      i++;
      if (isComment(next)) continue;
      if (trimLeft(next) === '') {
        emptyContinuation = true;
        continue;
      }
      const t = trimContinuation(next, d);
      line += t.line;
      end = t.end;
    }
    if (emptyContinuation) warnings.push(`[WARNING]: Empty continuation line found in:\n    ${line}`);
    let child: DockerfileNode;
    try {
      child = nodeFromLine(line, { escapeToken: d.escapeToken });
    } catch (err) {
      return fail(err, startLine);
    }
    if (HEREDOC_COMMANDS.has(child.value) && !child.attributes.json) {
      const heredocs: Heredoc[] = [];
      for (const mark of heredocMarkers(line)) {
        const body: string[] = [];
        let closed = false;
        while (i < lines.length) {
          let l = lines[i]!;
          i++;
          if (mark.chomp) l = l.replace(/^\t+/, '');
          if (l === mark.name) {
            closed = true;
            break;
          }
          body.push(l);
        }
        if (!closed) return fail(new Error(`unterminated heredoc: expected a line "${mark.name}" before the end of the file`), startLine);
        heredocs.push({ ...mark, content: body.map((b) => b + '\n').join('') });
      }
      child.heredocs = heredocs;
    }
    child.startLine = startLine;
    child.endLine = i;
    if (root.startLine < 0) root.startLine = startLine;
    root.endLine = i;
    root.children.push(child);
  }
  if (root.startLine < 0) fail(new Error('file with no instructions'), lines.length);
  return { ast: root, escapeToken: d.escapeToken, directives: d.seen, warnings };
}
