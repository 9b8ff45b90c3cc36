// A parser for `iptables-save` output: which chains exist and which rules they hold, per table. The
// engine reads it to know which of its jumps are already in the built-in chains, and which chains of its
// own a crashed run left behind.

export interface SavedRule {
  table: string;
  chain: string;
  args: string[];
}

export interface SavedTables {
  chains: Map<string, Set<string>>;
  rules: SavedRule[];
}

/** splits a rule line like the shell would for iptables-save's quoting ("..." around comments) */
export function splitRuleArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2]);
  return out;
}

export function parseIptablesSave(text: string): SavedTables {
  const chains = new Map<string, Set<string>>();
  const rules: SavedRule[] = [];
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === 'COMMIT') continue;
    if (line.startsWith('*')) {
      table = line.slice(1);
      if (!chains.has(table)) chains.set(table, new Set());
    } else if (line.startsWith(':')) {
      chains.get(table)?.add(line.slice(1).split(/\s+/)[0]);
    } else if (line.startsWith('-A ')) {
      const [, chain, ...args] = splitRuleArgs(line);
      rules.push({ table, chain, args });
    }
  }
  return { chains, rules };
}

/** iptables-save prints `-m tcp` after `-p tcp` and normalises some spellings: compare on a canonical form */
export function sameRule(a: { table: string; chain: string; args: string[] }, b: { table: string; chain: string; args: string[] }): boolean {
  return a.table === b.table && a.chain === b.chain && a.args.join(' ') === b.args.join(' ');
}
