// The tutorial runner's comparison (pure): expected output as written in a tutorial, with placeholders
// for what changes between runs - `<id>` (hex id, 12 or 64), `<time>` (anything time-like up to the
// next column), `<ip>` (IPv4), `<n>` (a number), `<any>` (any text on the line) - and a line `...` that
// stands for any number of lines. Trailing spaces are ignored. On a mismatch it says which line differs.

const PLACEHOLDERS: Record<string, string> = {
  '<id>': '(?:[0-9a-f]{64}|[0-9a-f]{12})',
  '<time>': '.+?',
  '<ip>': '\\d{1,3}(?:\\.\\d{1,3}){3}',
  '<n>': '\\d+',
  '<any>': '.*',
};

export function lineRegex(expected: string): RegExp {
  const parts = expected.trimEnd().split(/(<id>|<time>|<ip>|<n>|<any>)/);
  const body = parts.map((p) => PLACEHOLDERS[p] ?? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${body}$`);
}

export interface MatchResult {
  ok: boolean;
  /** a readable diff around the first difference (empty when ok) */
  diff: string;
}

export function matchOutput(expected: string, actual: string): MatchResult {
  const exp = trimLines(expected);
  const act = trimLines(actual);
  if (matchFrom(exp, 0, act, 0)) return { ok: true, diff: '' };
  return { ok: false, diff: describe(exp, act) };
}

function trimLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function matchFrom(exp: string[], i: number, act: string[], j: number): boolean {
  if (i === exp.length) return j === act.length;
  if (exp[i].trim() === '...') {
    for (let k = j; k <= act.length; k++) if (matchFrom(exp, i + 1, act, k)) return true;
    return false;
  }
  return j < act.length && lineRegex(exp[i]).test(act[j]) && matchFrom(exp, i + 1, act, j + 1);
}

/** the first expected line (outside `...`) no actual line matches in order, shown with its neighbours */
function describe(exp: string[], act: string[]): string {
  let j = 0;
  for (let i = 0; i < exp.length; i++) {
    if (exp[i].trim() === '...') {
      const next = exp.slice(i + 1).find((l) => l.trim() !== '...');
      if (next === undefined) return `  expected more lines, found the end`;
      while (j < act.length && !lineRegex(next).test(act[j])) j++;
      continue;
    }
    if (j >= act.length) return `- ${exp[i]}\n  (output ended after ${act.length} line(s))`;
    if (!lineRegex(exp[i]).test(act[j])) return `  line ${j + 1}:\n- ${exp[i]}\n+ ${act[j]}`;
    j++;
  }
  return `  unexpected extra output from line ${j + 1}:\n+ ${act.slice(j, j + 3).join('\n+ ')}`;
}
