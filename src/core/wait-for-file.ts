// Waiting for a file another process writes (runc's pid file, init's "system ready" marker). Polling,
// not fs.watch: the writer often renames the file into place, and a poll of a few ms is both simpler
// and as quick for these short waits.
import { access } from 'node:fs/promises';

/** resolves once `file` exists, or once timeoutMs have passed (it does not say which: a caller that must know looks at the file) */
export async function waitForFile(file: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  while (Date.now() < deadline) {
    if (await access(file).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 5));
  }
}
