// TerminalSession: one interactive shell in the sandbox, whatever carries it: a pty on this host
// (PtyTerminalSession, for the local provider and `multipass exec`), or an ssh channel (ssh2, for qemu and
// ssh sandboxes; issue 6). The web server only knows this interface; pause/resume are the back-pressure
// hooks flow control needs (a pty stops being read, an ssh channel stops its window).

export interface TerminalExit {
  code: number;
  signal?: number;
}

export interface Disposable {
  dispose(): void;
}

export interface TerminalSession {
  /** the shell's process id where it runs (in the sandbox for ssh), for messages and `echo $$` checks */
  readonly pid: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(listener: (data: string) => void): Disposable;
  onExit(listener: (exit: TerminalExit) => void): Disposable;
  /** stop reading the shell's output (the shell blocks once the kernel buffer is full) */
  pause(): void;
  resume(): void;
  /** ends the shell (SIGHUP, as when a terminal window closes); idempotent */
  close(): void;
}

export interface TerminalOptions {
  cols: number;
  rows: number;
  env?: Record<string, string>;
  cwd?: string;
}

/** makes a new shell; one per provider (local: node-pty, ssh: ssh2) */
export type TerminalFactory = (options: TerminalOptions) => Promise<TerminalSession>;
