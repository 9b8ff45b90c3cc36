// GuestTerminalSession: a TerminalSession over the sandbox's own shell (Guest.openShell: an ssh2 pty
// channel for qemu and ssh sandboxes, `multipass shell` and so on), so the page's terminal works with
// every provider through the Guest port. The lab's environment cannot travel as ssh env requests (most
// sshd configs refuse them), so it is exported by a first line the shell reads before the student types;
// its leading space keeps it out of the shell history (HISTCONTROL=ignorespace).
import { shellPreamble } from '../../vm/shell-quote.js';
import type { Guest, GuestShell } from '../../vm/guest.js';
import type { Disposable, TerminalExit, TerminalOptions, TerminalSession } from './terminal-session.js';


export class GuestTerminalSession implements TerminalSession {
  /** the guest does not tell; 0 means unknown */
  readonly pid = 0;
  private readonly dataListeners = new Set<(d: string) => void>();
  private readonly exitListeners = new Set<(e: TerminalExit) => void>();
  private readonly decoder = new TextDecoder('utf-8');
  private held: string[] = [];
  private paused = false;
  private closed = false;

  constructor(private readonly shell: GuestShell) {
    shell.onData((b) => this.deliver(this.decoder.decode(b, { stream: true })));
    shell.onExit((code) => {
      this.closed = true;
      this.flushHeld();
      for (const l of this.exitListeners) l({ code });
    });
  }

  write(data: string): void {
    if (!this.closed) this.shell.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.closed) this.shell.resize(cols, rows);
  }

  onData(listener: (data: string) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onExit(listener: (exit: TerminalExit) => void): Disposable {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  /**
   * a shell with pause() (an ssh2 channel) stops granting window, so the program in the sandbox blocks;
   * for shells without it, and the chunk already on its way, the output is held here until resume
   */
  pause(): void {
    this.paused = true;
    this.shell.pause?.();
  }

  resume(): void {
    this.paused = false;
    this.shell.resume?.();
    this.flushHeld();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.shell.close();
  }

  private deliver(text: string): void {
    if (!text) return;
    if (this.paused) {
      this.held.push(text);
      return;
    }
    for (const l of this.dataListeners) l(text);
  }

  private flushHeld(): void {
    const text = this.held.join('');
    this.held = [];
    if (text) for (const l of this.dataListeners) l(text);
  }
}

/** terminals for a sandbox that can open shells (Guest.openShell) */
export function guestTerminalFactory(guest: Guest) {
  return async (options: TerminalOptions): Promise<TerminalSession> => {
    if (!guest.openShell) throw new Error(`the sandbox ${guest.name} cannot open an interactive shell`);
    const session = new GuestTerminalSession(await guest.openShell({ cols: options.cols, rows: options.rows, term: 'xterm-256color' }));
    const preamble = shellPreamble(options.env, options.cwd);
    if (preamble) session.write(preamble);
    return session;
  };
}
