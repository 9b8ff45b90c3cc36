// PtyTerminalSession: a shell under a pseudo-terminal (node-pty) on this host. A pty is what makes the
// shell interactive (line editing, colours, job control, Ctrl-C as SIGINT) exactly as in a terminal
// window; the browser's xterm.js draws what the pty writes.
import { spawn, type IPty } from 'node-pty';
import type { Disposable, TerminalExit, TerminalOptions, TerminalSession } from './terminal-session.js';

export interface PtyShellOptions extends TerminalOptions {
  /** the program and its arguments; default: bash as a login-less interactive shell */
  file?: string;
  args?: string[];
}

export class PtyTerminalSession implements TerminalSession {
  private readonly proc: IPty;
  private closed = false;

  constructor(options: PtyShellOptions) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    this.proc = spawn(options.file ?? 'bash', options.args ?? ['-i'], {
      name: 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: options.cwd ?? process.env.HOME ?? '/',
      env: { ...env, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...options.env },
    });
    this.proc.onExit(() => (this.closed = true));
  }

  get pid(): number {
    return this.proc.pid;
  }

  write(data: string): void {
    if (!this.closed) this.proc.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.closed) this.proc.resize(cols, rows);
  }

  onData(listener: (data: string) => void): Disposable {
    return this.proc.onData(listener);
  }

  onExit(listener: (exit: TerminalExit) => void): Disposable {
    return this.proc.onExit(({ exitCode, signal }) => listener(signal ? { code: exitCode, signal } : { code: exitCode }));
  }

  pause(): void {
    if (!this.closed) this.proc.pause();
  }

  resume(): void {
    if (!this.closed) this.proc.resume();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.proc.kill('SIGHUP');
    } catch {
      /* already gone */
    }
  }
}

export const ptyTerminalFactory = (defaults: Partial<PtyShellOptions> = {}) =>
  async (options: TerminalOptions): Promise<TerminalSession> =>
    new PtyTerminalSession({ ...defaults, ...options, cwd: options.cwd ?? defaults.cwd, env: { ...defaults.env, ...options.env } });
