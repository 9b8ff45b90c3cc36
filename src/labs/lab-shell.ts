// `boxlab lab shell`: a shell in the sandbox with the lab's environment (LAB_ID, LAB_DIR, DOCKER_HOST),
// started in $LAB_DIR, so a student whose lab runs in a VM types where the lab's checks look. On this
// host it is bash with the environment added; in a VM it is the VM's login shell on a pty (Guest
// openShell, ssh2), whose environment is exported by a first line, as the web terminal does (ssh env
// requests are refused by most sshd configs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { failedPrecondition } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import { labMessage } from './lab-messages.js';
import type { Guest, GuestShell } from '../vm/guest.js';
import { LocalGuest } from '../vm/providers/local/local-guest.js';
import { shellPreamble } from '../vm/shell-quote.js';

export interface LabShellOptions {
  env: Record<string, string>;
  cwd: string;
  /** run this one command instead of an interactive shell (bash -c), and exit with its code */
  command?: string;
  lang?: Lang;
}

/** the terminal the shell talks to: this process's stdin/stdout by default */
export interface ShellTerminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  output: NodeJS.WritableStream & { columns?: number; rows?: number; on(event: 'resize', l: () => void): unknown; off(event: 'resize', l: () => void): unknown };
}

/** opens the shell and resolves with its exit code when it ends */
export async function openLabShell(guest: Guest, options: LabShellOptions, terminal: ShellTerminal = { input: process.stdin, output: process.stdout }): Promise<number> {
  if (guest instanceof LocalGuest) return localShell(options);
  if (options.command !== undefined) {
    const r = await guest.exec({ script: `cd "$LAB_DIR" 2>/dev/null || true\n${options.command}` }, { env: options.env });
    terminal.output.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.exitCode;
  }
  if (!guest.openShell) throw failedPrecondition(labMessage(options.lang ?? 'en', 'shell.none', { sandbox: guest.name }), { suggestions: [labMessage(options.lang ?? 'en', 'shell.none-fix')] });
  const out = terminal.output;
  const shell = await guest.openShell({ cols: out.columns ?? 80, rows: out.rows ?? 24, term: process.env.TERM ?? 'xterm-256color' });
  return attach(shell, options, terminal);
}


function attach(shell: GuestShell, options: LabShellOptions, { input, output }: ShellTerminal): Promise<number> {
  shell.onData((d) => output.write(d));
  shell.write(shellPreamble(options.env, options.cwd));
  if (input.isTTY) input.setRawMode?.(true);
  const onInput = (d: Buffer) => shell.write(d);
  input.on('data', onInput);
  const onResize = () => shell.resize(output.columns ?? 80, output.rows ?? 24);
  output.on('resize', onResize);
  return new Promise<number>((resolve) =>
    shell.onExit((code) => {
      if (input.isTTY) input.setRawMode?.(false);
      input.off('data', onInput);
      input.pause();
      output.off('resize', onResize);
      resolve(code);
    }),
  );
}

function localShell(options: LabShellOptions): Promise<number> {
  const args = options.command !== undefined ? ['-c', options.command] : process.stdin.isTTY ? ['-i'] : [];
  const child = spawn('bash', args, { stdio: 'inherit', env: { ...process.env, ...options.env }, cwd: existsSync(options.cwd) ? options.cwd : undefined });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
