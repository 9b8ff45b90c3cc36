// Waiting for an event a test cannot subscribe to (a file the engine or the shim writes, a process's state
// in /proc, a line in a log) by looking at it again and again until a deadline: the wait ends as soon as
// the thing happened, and past the deadline the test fails and says what never happened. A test that
// needs something to have happened waits for that thing, never for a fixed time "for things to settle".
import { promises as fs } from 'node:fs';

export interface WaitOptions {
  /** how long before the test fails (default 15 s) */
  timeoutMs?: number;
  /** how long between two looks (default 50 ms) */
  intervalMs?: number;
}

type Falsy = undefined | null | false | 0 | '';

/** polls `probe` until it returns something truthy and returns that; fails with "timed out after N s waiting for <what>" */
export async function waitFor<T>(what: string, probe: () => T | Falsy | Promise<T | Falsy>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

export async function fileExists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** the process has exited: its /proc entry is gone, or it is a zombie its parent has not reaped yet */
export async function processExited(pid: number): Promise<boolean> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return true;
  // "pid (comm) S ...": the state follows the last ')' (comm may hold spaces and parentheses)
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}

/** the process has a handler for the signal (`trap ... TERM` in a shell): bit signal-1 of SigCgt in /proc/<pid>/status */
export async function catchesSignal(pid: number, signal: number): Promise<boolean> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return mask !== undefined && (BigInt(`0x${mask}`) & (1n << BigInt(signal - 1))) !== 0n;
}
