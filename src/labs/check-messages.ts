// Check messages in the student's language: a check speaks through the runner's `say EN ZH` and
// `fail EN ZH` (check-script.ts), never a bare `echo "some words"`, which a zh student would read in
// English. Pure: finds the echo/printf commands of a check script that print words to the student (not
// into a file, not into a pipe), for the validator's rule. A heuristic over shell text, line by line:
// it splits a line into commands at unquoted ; && || | { } and ( ), and calls a command a message when
// its words, variables and command substitutions left out, still hold letters.

export interface BareMessage {
  /** 0-based line in the script */
  line: number;
  /** the message as written (its arguments) */
  text: string;
}

const PRINTERS = new Set(['echo', 'printf']);

export function bareMessages(script: string): BareMessage[] {
  const out: BareMessage[] = [];
  script.split('\n').forEach((line, n) => {
    for (const cmd of splitCommands(line)) {
      const words = cmd.text.trim();
      const m = /^(echo|printf)(\s+(-[neE]+\s+)*)(.*)$/.exec(words);
      if (!m || !PRINTERS.has(m[1])) continue;
      // into a pipe or a file: data for another command, not a message (>&2 still reaches the student)
      if (cmd.pipedTo || /(^|[^&\d])>{1,2}\s*[^&\s]/.test(unquoted(m[4]))) continue;
      const args = m[4].trim();
      if (hasWords(args)) out.push({ line: n, text: args.length > 60 ? `${args.slice(0, 57)}...` : args });
    }
  });
  return out;
}

interface Command {
  text: string;
  /** the command's output goes into a | */
  pipedTo: boolean;
}

/** the line's commands at unquoted separators; a comment ends the line */
function splitCommands(line: string): Command[] {
  const out: Command[] = [];
  let cur = '';
  let quote: '"' | "'" | undefined;
  const push = (pipedTo: boolean) => {
    out.push({ text: cur, pipedTo });
    cur = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') {
        cur += c + (line[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
      cur += c;
      continue;
    }
    if (c === '\\') {
      cur += c + (line[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      cur += c;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
    if (c === '$' && line[i + 1] === '(') {
      // a command substitution is part of its word: copy it whole (its own echo feeds the outer command)
      let depth = 0;
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      cur += line.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '|' && line[i + 1] === '|') {
      push(false);
      i++;
      continue;
    }
    if (c === '&' && line[i + 1] === '&') {
      push(false);
      i++;
      continue;
    }
    if (c === '|') {
      push(true);
      continue;
    }
    if (c === ';' || c === '{' || c === '}' || c === '(' || c === ')') {
      push(false);
      continue;
    }
    cur += c;
  }
  push(false);
  return out;
}

/** the text with quoted parts blanked (to find a redirection outside quotes) */
function unquoted(text: string): string {
  return text.replace(/"(?:\\.|[^"\\])*"|'[^']*'/g, '""');
}

/** letters left once variables ($x, ${x}, $(...)) and format directives (%s, \n) are taken out */
function hasWords(args: string): boolean {
  const left = args
    .replace(/\$\((?:[^()]|\([^()]*\))*\)/g, ' ')
    .replace(/\$\{[^}]*\}/g, ' ')
    .replace(/\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9#?@*!$-]/g, ' ')
    .replace(/%[-\d.]*[sdqbxoc]/g, ' ')
    .replace(/\\[ntr0\\]/g, ' ');
  return /[A-Za-z\u4e00-\u9fff]{2,}/.test(left);
}
