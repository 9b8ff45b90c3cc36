// VmGuest: the Guest of a named sandbox VM (qemu, multipass, ssh), for commands that need a Guest
// before they can await anything (`boxlab lab ...`, `boxlab tutorial ...`). It connects on first use
// (VmService.guest: one multiplexed SSH connection) and lets the connection go once nothing has used it
// for a moment: an open SSH connection keeps a CLI process alive, and lab commands never close guests.
import type { Duplex } from 'node:stream';
import { AppError } from '../core/errors.js';
import type { UnixStreamOpener } from './socket-forward.js';
import type { Guest, GuestCommand, GuestExecOptions, GuestExecResult, GuestOutputSink, GuestShell, GuestShellOptions } from './guest.js';

export interface VmGuestOptions {
  /** ms without any operation before the connection is released (reconnected on next use) */
  idleMs?: number;
}

export class VmGuest implements Guest {
  private connection?: Promise<Guest>;
  private busy = 0;
  private idleTimer?: NodeJS.Timeout;
  private readonly idleMs: number;

  constructor(
    readonly vm: string,
    /** the vm's provider, or how to read it once known (a lab node's, from its record when it connects) */
    private readonly provider: string | (() => string),
    private readonly connect: () => Promise<Guest>,
    options: VmGuestOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 300;
  }

  /** "qemu:lab1", "multipass:manager1" */
  get name(): string {
    return `${typeof this.provider === 'function' ? this.provider() : this.provider}:${this.vm}`;
  }

  exec(command: GuestCommand, options?: GuestExecOptions): Promise<GuestExecResult> {
    return this.using((g) => g.exec(command, options));
  }

  execStream(command: GuestCommand, sink: GuestOutputSink, options?: GuestExecOptions): Promise<number> {
    return this.using(async (g) => {
      if (g.execStream) return g.execStream(command, sink, options);
      const r = await g.exec(command, options);
      sink.stdout(Buffer.from(r.stdout));
      sink.stderr(Buffer.from(r.stderr));
      return r.exitCode;
    });
  }

  copyTo(hostPath: string, guestPath: string): Promise<void> {
    return this.using((g) => this.require(g, 'copyTo').call(g, hostPath, guestPath));
  }

  copyFrom(guestPath: string, hostPath: string): Promise<void> {
    return this.using((g) => this.require(g, 'copyFrom').call(g, guestPath, hostPath));
  }

  slowdown(): Promise<number> {
    return this.using(async (g) => (await g.slowdown?.()) ?? 1);
  }

  /** the shell holds the connection until it ends */
  async openShell(options?: GuestShellOptions): Promise<GuestShell> {
    this.enter();
    try {
      const g = await this.guest();
      const shell = await this.require(g, 'openShell').call(g, options);
      shell.onExit(() => this.leave());
      return shell;
    } catch (err) {
      this.leave();
      throw err;
    }
  }

  /**
   * a stream to a unix socket inside the vm (its engine's, for the page's trace of a lab node); like a
   * shell, the stream holds the connection until it closes
   */
  async openUnixStream(socketPath: string): Promise<Duplex> {
    this.enter();
    try {
      const g = (await this.guest()) as Guest & Partial<UnixStreamOpener>;
      if (!g.openUnixStream) throw new AppError('FAILED_PRECONDITION', `${this.name} cannot open ${socketPath} (no ssh guest)`, { suggestions: ['use the qemu or ssh provider'] });
      const stream = await g.openUnixStream(socketPath);
      stream.once('close', () => this.leave());
      return stream;
    } catch (err) {
      this.leave();
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const c = this.connection;
    this.connection = undefined;
    if (c) await c.then((g) => g.close?.(), () => undefined);
  }

  private guest(): Promise<Guest> {
    if (!this.connection) {
      this.connection = this.connect();
      // a failed connect is not cached: the next use tries again
      this.connection.catch(() => (this.connection = undefined));
    }
    return this.connection;
  }

  private async using<T>(fn: (g: Guest) => Promise<T>): Promise<T> {
    this.enter();
    try {
      return await fn(await this.guest());
    } finally {
      this.leave();
    }
  }

  private enter(): void {
    this.busy++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private leave(): void {
    if (--this.busy > 0) return;
    this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    // the timer itself must not hold a finished command open: only the connection does, until released
    this.idleTimer.unref();
  }

  private require<K extends 'copyTo' | 'copyFrom' | 'openShell'>(g: Guest, method: K): NonNullable<Guest[K]> {
    const fn = g[method];
    if (!fn) throw new AppError('FAILED_PRECONDITION', `${this.name} cannot ${method}`, { suggestions: ['use the qemu or ssh provider'] });
    return fn as NonNullable<Guest[K]>;
  }
}
