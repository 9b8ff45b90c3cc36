// Variable expansion in Dockerfile instructions, with Docker's (buildkit's shell package) rules: quotes
// are removed, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `${VAR:?msg}`, `${VAR#pat}` and
// `${VAR%pat}` are expanded from the build's ARG and ENV values, and the escape token (\ or `) escapes.
// No commands run here: RUN's shell does its own expansion later, inside the container.

export class ShellExpansionError extends Error {}

export interface ShellLexOptions {
  escapeToken?: string;
}

const isSpace = (ch: string) => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(ch);
const isDigit = (ch: string) => /^\p{Nd}$/u.test(ch);
const isLetter = (ch: string) => /^\p{L}$/u.test(ch);
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

class Words {
  word = '';
  words: string[] = [];
  inWord = false;
  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.word.length > 0) {
        this.words.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else this.addRawChar(ch);
  }
  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }
  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }
  addRawString(s: string): void {
    this.word += s;
    this.inWord = true;
  }
  get(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.words;
  }
}

const EOF = '';

class Scanner {
  private readonly chars: string[];
  private pos = 0;
  constructor(s: string) {
    this.chars = [...s];
  }
  peek(): string {
    return this.chars[this.pos] ?? EOF;
  }
  next(): string {
    const ch = this.chars[this.pos] ?? EOF;
    if (ch !== EOF) this.pos++;
    return ch;
  }
}

/** a shell glob (only * and ?) as a regular expression source */
function patternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  let out = anchored ? '^' : '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') out += greedy ? '.*' : '.*?';
    else if (ch === '?') out += '.';
    else if (ch === '\\') {
      const next = chars[++i];
      if (next === undefined) throw new ShellExpansionError('invalid escape at the end of the pattern');
      out += '\\' + next;
    } else out += ch.replace(/[[\]{}.+()|^$\\]/g, '\\$&');
  }
  return new RegExp(out, 'su');
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = patternToRegex(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  // match the reversed pattern against the reversed value, as buildkit does
  const rev = (s: string) => [...s].reverse().join('');
  const m = patternToRegex(rev(pattern).replace(/([*?\\])\\/g, '\\$1'), greedy, true).exec(rev(value));
  return m ? rev(rev(value).slice(m[0].length)) : value;
}

export class ShellLex {
  readonly escapeToken: string;
  constructor(options: ShellLexOptions = {}) {
    this.escapeToken = options.escapeToken ?? '\\';
  }

  /** expands one word (quotes removed, spaces kept) */
  processWord(word: string, env: ReadonlyMap<string, string>): string {
    return this.process(word, env).result;
  }

  /** expands, then splits into words on unquoted spaces (for ADD/COPY/EXPOSE/VOLUME) */
  processWords(word: string, env: ReadonlyMap<string, string>): string[] {
    return this.process(word, env).words;
  }

  private process(word: string, env: ReadonlyMap<string, string>): { result: string; words: string[] } {
    const run = new LexRun(this.escapeToken, env, word);
    try {
      return run.processStopOn(EOF, false);
    } catch (err) {
      if (err instanceof ShellExpansionError) throw new ShellExpansionError(`failed to process ${JSON.stringify(word)}: ${err.message}`);
      throw err;
    }
  }
}

class LexRun {
  private readonly sc: Scanner;
  private rawEscapes = false;
  constructor(
    private readonly escapeToken: string,
    private readonly env: ReadonlyMap<string, string>,
    source: string,
  ) {
    this.sc = new Scanner(source);
  }

  processStopOn(stop: string, rawEscapes: boolean): { result: string; words: string[] } {
    let result = '';
    const words = new Words();
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.sc.peek() !== EOF) {
        const ch = this.sc.peek();
        if (stop !== EOF && ch === stop) {
          this.sc.next();
          return { result, words: words.get() };
        }
        if (ch === '$') {
          const tmp = this.processDollar();
          result += tmp;
          words.addString(tmp);
        } else if (ch === "'" || ch === '"') {
          const tmp = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
          result += tmp;
          words.addRawString(tmp);
        } else {
          let c = this.sc.next();
          if (c === this.escapeToken) {
            if (this.rawEscapes) {
              words.addRawChar(c);
              result += c;
            }
            c = this.sc.next();
            if (c === EOF) break;
            words.addRawChar(c);
          } else words.addChar(c);
          result += c;
        }
      }
      if (stop !== EOF) throw new ShellExpansionError(`unexpected end of statement while looking for matching ${stop}`);
      return { result, words: words.get() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    this.sc.next();
    let result = '';
    for (;;) {
      const ch = this.sc.next();
      if (ch === EOF) throw new ShellExpansionError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return result;
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    this.sc.next();
    let result = '';
    for (;;) {
      const peek = this.sc.peek();
      if (peek === EOF) throw new ShellExpansionError('unexpected end of statement while looking for matching double-quote');
      if (peek === '"') {
        this.sc.next();
        return result;
      }
      if (peek === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.sc.next();
      if (ch === this.escapeToken) {
        if (this.rawEscapes) result += ch;
        const after = this.sc.peek();
        if (after === EOF) continue; // an escape at the end of the word is dropped
        if (after === '"' || after === '$' || after === this.escapeToken) ch = this.sc.next();
      }
      result += ch;
    }
  }

  private lookup(name: string): { value: string; set: boolean } {
    const value = this.env.get(name);
    return value === undefined ? { value: '', set: false } : { value, set: true };
  }

  private processDollar(): string {
    this.sc.next();
    if (this.sc.peek() !== '{') {
      const name = this.processName();
      return name === '' ? '$' : this.lookup(name).value;
    }
    this.sc.next();
    const first = this.sc.peek();
    if (first === EOF) throw new ShellExpansionError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new ShellExpansionError('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.sc.next();
    let modifier = ch;
    let nullIsUnset = false;
    if (ch === '}') return this.lookup(name).value;
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.sc.next();
      modifier += ch;
    }
    if (!['+', '-', '?', '#', '%'].includes(ch) || (nullIsUnset && (ch === '#' || ch === '%'))) {
      if (ch === EOF) throw new ShellExpansionError("syntax error: missing '}'");
      throw new ShellExpansionError(`unsupported modifier (${modifier}) in substitution`);
    }
    let word: string;
    try {
      word = this.processStopOn('}', ch === '#' || ch === '%').result;
    } catch (err) {
      if (this.sc.peek() === EOF) throw new ShellExpansionError("syntax error: missing '}'");
      throw err;
    }
    const { value, set } = this.lookup(name);
    const empty = !set || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return empty ? word : value;
      case '+':
        return empty ? '' : word;
      case '?':
        if (!set) throw new ShellExpansionError(`${name}: ${word || 'is not allowed to be unset'}`);
        if (nullIsUnset && value === '') throw new ShellExpansionError(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      default: {
        const greedy = word.startsWith(ch);
        const pattern = greedy ? word.slice(1) : word;
        return ch === '%' ? trimSuffix(pattern, value, greedy) : trimPrefix(pattern, value, greedy);
      }
    }
  }

  private processName(): string {
    let name = '';
    while (this.sc.peek() !== EOF) {
      const ch = this.sc.peek();
      if (name.length === 0 && isDigit(ch)) {
        while (this.sc.peek() !== EOF && isDigit(this.sc.peek())) name += this.sc.next();
        return name;
      }
      if (name.length === 0 && SPECIAL_PARAMS.has(ch)) return this.sc.next();
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.sc.next();
    }
    return name;
  }
}
