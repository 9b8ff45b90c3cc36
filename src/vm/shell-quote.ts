// SSH carries a command as one string that the remote login shell parses, so an argv must be quoted
// before it travels (each word in single quotes, embedded quotes closed and escaped). This is the only
// place boxlab turns words into a shell string, and it never interprets them.
export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

export function quoteWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `env K=V ... argv`: many sshd/dropbear configs refuse ssh env requests, so env travels in the command */
export function withEnv(argv: readonly string[], env: Record<string, string> | undefined): string[] {
  const pairs = Object.entries(env ?? {});
  if (pairs.length === 0) return [...argv];
  for (const [k] of pairs) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name "${k}"`);
  return ['env', ...pairs.map(([k, v]) => `${k}=${v}`), ...argv];
}

/**
 * the first line typed into a guest shell (the web terminal, `boxlab lab shell`): export the environment,
 * cd, clear the screen; its leading space keeps it out of the history (HISTCONTROL=ignorespace). Pure.
 */
export function shellPreamble(env: Record<string, string> = {}, cwd?: string): string {
  const parts: string[] = [];
  const pairs = Object.entries(env);
  for (const [k] of pairs) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name "${k}"`);
  if (pairs.length) parts.push(`export ${pairs.map(([k, v]) => `${k}=${quoteWord(v)}`).join(' ')}`);
  if (cwd) parts.push(`cd ${quoteWord(cwd)}`);
  if (!parts.length) return '';
  return ` ${parts.join('; ')}; clear\r`;
}
