// A GuestShell of a program this host runs under a pseudo-terminal (node-pty): what a provider whose own
// CLI opens the guest's interactive shell gives (`multipass shell <name>`: the CLI brings the guest's pty
// to ours). The pty makes line editing, colours and Ctrl-C work as in a terminal window; the bytes go
// both ways as they are. node-pty (a native module) is loaded when the first such shell opens.
import type { GuestShell, GuestShellOptions } from './guest.js';

export async function openPtyGuestShell(file: string, args: readonly string[], options: GuestShellOptions = {}): Promise<GuestShell> {
  const { spawn } = await import('node-pty');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const term = options.term ?? 'xterm-256color';
  const proc = spawn(file, [...args], { name: term, cols: options.cols ?? 80, rows: options.rows ?? 24, env: { ...env, TERM: term } });
  let exited = false;
  proc.onExit(() => (exited = true));
  return {
    write: (data) => {
      if (!exited) proc.write(typeof data === 'string' ? data : data.toString('utf8'));
    },
    onData: (listener) => void proc.onData((d) => listener(Buffer.from(d, 'utf8'))),
    onExit: (listener) => void proc.onExit(({ exitCode }) => listener(exitCode)),
    resize: (cols, rows) => {
      if (!exited) proc.resize(cols, rows);
    },
    close: () => {
      if (exited) return;
      try {
        proc.kill('SIGHUP');
      } catch {
        /* already gone */
      }
    },
    pause: () => {
      if (!exited) proc.pause();
    },
    resume: () => {
      if (!exited) proc.resume();
    },
  };
}
