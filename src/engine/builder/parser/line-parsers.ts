// Per-instruction argument parsers, following buildkit's classic rules: some instructions take a JSON
// array or a shell string (RUN, CMD), some a list of words (COPY, EXPOSE), some key=value pairs (ENV,
// LABEL). Quotes are kept here; they are removed later, during variable expansion, as Docker does.
import { newNode, type DockerfileNode } from './dockerfile-node.js';

export interface ParseContext {
  escapeToken: string;
}

export type LineParser = (rest: string, ctx: ParseContext) => { node?: DockerfileNode; attrs?: Record<string, boolean> };

/** Go's unicode.IsSpace */
export function isSpace(ch: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(ch);
}

export const WHITESPACE = /[\t\v\f\r ]+/;

export class DockerfileSyntaxError extends Error {}

/** splits on spaces outside quotes; quotes and escapes are kept in the words */
export function parseWords(rest: string, escapeToken: string): string[] {
  const chars = [...rest];
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOK = false;
  let word = '';
  for (let pos = 0; pos <= chars.length; pos++) {
    const atEnd = pos === chars.length;
    let ch = atEnd ? '' : chars[pos]!;
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isSpace(ch)) continue;
      phase = 'word';
    }
    if (atEnd) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue; // a lone escape at the end is dropped
        word += ch; // unquoted: keep the escape and the next char, even a quote
        pos++;
        ch = chars[pos]!;
      }
      word += ch;
      continue;
    }
    // in quotes
    if (ch === quote) phase = 'word';
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      pos++;
      word += ch;
      ch = chars[pos]!;
    }
    word += ch;
  }
  return words;
}

function chain(values: string[]): DockerfileNode | undefined {
  let head: DockerfileNode | undefined;
  for (let i = values.length - 1; i >= 0; i--) head = newNode(values[i], head);
  return head;
}

function keyValue(key: string, value: string, sep: string): DockerfileNode {
  return newNode(key, newNode(value, newNode(sep)));
}

function lastOf(node: DockerfileNode): DockerfileNode {
  let n = node;
  while (n.next) n = n.next;
  return n;
}

/** ENV and LABEL: the old `KEY value` form or the new `KEY=value ...` form */
function parseNameVal(rest: string, key: string, ctx: ParseContext): DockerfileNode | undefined {
  const words = parseWords(rest, ctx.escapeToken);
  if (words.length === 0) return undefined;
  if (!words[0]!.includes('=')) {
    const m = WHITESPACE.exec(rest);
    if (!m) throw new DockerfileSyntaxError(`${key} must have two arguments`);
    return keyValue(rest.slice(0, m.index), rest.slice(m.index + m[0].length), '');
  }
  let root: DockerfileNode | undefined;
  let prev: DockerfileNode | undefined;
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) throw new DockerfileSyntaxError(`Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`);
    const node = keyValue(word.slice(0, eq), word.slice(eq + 1), '=');
    if (!root) root = node;
    if (prev) prev.next = node;
    prev = lastOf(node);
  }
  return root;
}

export const parseEnv: LineParser = (rest, ctx) => ({ node: parseNameVal(rest, 'ENV', ctx) });
export const parseLabel: LineParser = (rest, ctx) => ({ node: parseNameVal(rest, 'LABEL', ctx) });

/** ARG: `name` or `name=value` words */
export const parseNameOrNameVal: LineParser = (rest, ctx) => ({ node: chain(parseWords(rest, ctx.escapeToken)) });

export const parseStringsWhitespaceDelimited: LineParser = (rest) => {
  if (rest === '') return {};
  return { node: chain(rest.split(WHITESPACE)) };
};

export const parseString: LineParser = (rest) => (rest === '' ? {} : { node: newNode(rest) });

export const parseIgnore: LineParser = () => ({ node: newNode() });

class NotJsonArray extends Error {}
class NotStringArray extends DockerfileSyntaxError {}

function parseJson(rest: string): { node?: DockerfileNode; attrs: Record<string, boolean> } {
  const trimmed = rest.replace(/^[\s]+/u, '');
  if (!trimmed.startsWith('[')) throw new NotJsonArray();
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new NotJsonArray();
  }
  if (!Array.isArray(parsed)) throw new NotJsonArray();
  if (!parsed.every((v) => typeof v === 'string')) {
    throw new NotStringArray('when using JSON array syntax, arrays must be comprised of strings only');
  }
  return { node: chain(parsed as string[]), attrs: { json: true } };
}

/** RUN, CMD, ENTRYPOINT, SHELL: a JSON array (exec form) or one string (shell form) */
export const parseMaybeJson: LineParser = (rest) => {
  if (rest === '') return {};
  try {
    return parseJson(rest);
  } catch (err) {
    if (err instanceof NotStringArray) throw err;
    return { node: newNode(rest) };
  }
};

/** COPY, ADD, VOLUME: a JSON array or whitespace-separated words */
export const parseMaybeJsonToList: LineParser = (rest, ctx) => {
  try {
    return parseJson(rest);
  } catch (err) {
    if (err instanceof NotStringArray) throw err;
    return parseStringsWhitespaceDelimited(rest, ctx);
  }
};

/** HEALTHCHECK: a type word (CMD or NONE) then a command like RUN's */
export const parseHealthConfig: LineParser = (rest, ctx) => {
  let sep = 0;
  while (sep < rest.length && !isSpace(rest[sep]!)) sep++;
  let next = sep;
  while (next < rest.length && isSpace(rest[next]!)) next++;
  if (sep === 0) return {};
  const cmd = parseMaybeJson(rest.slice(next), ctx);
  return { node: newNode(rest.slice(0, sep), cmd.node), attrs: cmd.attrs };
};
