// SshGuest: a Guest over one multiplexed ssh2 connection (exec channels, a pty shell channel, sftp), the
// way every VM provider but `local` reaches its sandbox. One connection per VM matters under TCG:
// an SSH handshake costs 0.2 s with dropbear and over 1 s with OpenSSH there, a new channel almost nothing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
// ssh2 (a large library) is loaded when a connection is made, not by every command that imports this file
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { AppError, messageOf } from '../../../core/errors.js';
import {
  guestArgv,
  GUEST_TIMEOUT_EXIT_CODE,
  type Guest,
  type GuestCommand,
  type GuestExecOptions,
  type GuestExecResult,
  type GuestOutputSink,
  type GuestShell,
  type GuestShellOptions,
} from '../../guest.js';
import { shellQuote, withEnv } from '../../shell-quote.js';

export interface SshConnectOptions {
  host: string;
  port: number;
  user: string;
  privateKey?: string | Buffer;
  password?: string;
  /** ms to wait for the banner and login */
  readyTimeoutMs?: number;
}

export async function connectSsh(options: SshConnectOptions): Promise<Client> {
  const { Client: SshClient } = await import('ssh2');
  return new Promise((resolve, reject) => {
    const c = new SshClient();
    const fail = (err: Error) => {
      c.end();
      reject(err);
    };
    c.once('ready', () => {
      c.off('error', fail);
      c.on('error', () => undefined); // a dropped connection shows up as failed channels
      resolve(c);
    });
    c.once('error', fail);
    c.connect({
      host: options.host,
      port: options.port,
      username: options.user,
      privateKey: options.privateKey,
      password: options.password,
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: 10_000,
    });
  });
}

export class SshGuest implements Guest {
  private closed = false;

  constructor(
    readonly name: string,
    private readonly client: Client,
    private readonly timesSlower = 1,
  ) {
    client.on('close', () => (this.closed = true));
  }

  /** `slowdown`: what the provider knows of the guest's speed (qemu: TCG_SLOWDOWN under TCG) */
  static async connect(name: string, options: SshConnectOptions, slowdown = 1): Promise<SshGuest> {
    try {
      return new SshGuest(name, await connectSsh(options), slowdown);
    } catch (err) {
      throw new AppError('UNAVAILABLE', `cannot reach ${name} over ssh at ${options.user}@${options.host}:${options.port}: ${messageOf(err)}`, {
        cause: err,
        suggestions: ['check that the vm is running: boxlab vm list', 'check the host, port, user and identity'],
      });
    }
  }

  slowdown(): Promise<number> {
    return Promise.resolve(this.timesSlower);
  }

  get connected(): boolean {
    return !this.closed;
  }

  async exec(command: GuestCommand, options: GuestExecOptions = {}): Promise<GuestExecResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const exitCode = await this.execStream(command, { stdout: (b) => out.push(b), stderr: (b) => err.push(b) }, options);
    return { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  execStream(command: GuestCommand, sink: GuestOutputSink, options: GuestExecOptions = {}): Promise<number> {
    let argv = withEnv(guestArgv(command), options.env);
    // sshd may ignore the SSH "signal" request, so the guest's own timeout(1) (busybox and coreutils
    // both have it) kills the command; the local timer is the fallback when the guest does not answer
    const seconds = options.timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(options.timeoutMs / 1000));
    if (seconds !== undefined) argv = ['timeout', '-s', 'KILL', String(seconds), ...argv];
    const line = shellQuote(argv);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      this.client.exec(line, (e, ch) => {
        if (e) return reject(this.channelError(e));
        let done = false;
        let code: number | undefined;
        let signal: string | undefined;
        const finish = (value: number) => {
          if (done) return;
          done = true;
          if (timer) clearTimeout(timer);
          resolve(value);
        };
        const timer =
          options.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                ch.close();
                finish(GUEST_TIMEOUT_EXIT_CODE);
              }, options.timeoutMs + 5000);
        ch.on('data', (b: Buffer) => sink.stdout(b));
        ch.stderr.on('data', (b: Buffer) => sink.stderr(b));
        ch.on('exit', (c: number | null, s?: string) => {
          code = c ?? undefined;
          signal = s;
        });
        ch.on('close', () => {
          const result = code ?? (signal ? 128 + (SIGNALS[signal.replace(/^SIG/, '')] ?? 0) : 255);
          const timedOut = options.timeoutMs !== undefined && Date.now() - started >= options.timeoutMs && (result === 137 || result === 124);
          finish(timedOut ? GUEST_TIMEOUT_EXIT_CODE : result);
        });
        if (options.input !== undefined) ch.end(options.input);
        else ch.end();
      });
    });
  }

  openShell(options: GuestShellOptions = {}): Promise<GuestShell> {
    const window = { cols: options.cols ?? 80, rows: options.rows ?? 24, term: options.term ?? 'xterm-256color', width: 0, height: 0 };
    return new Promise((resolve, reject) => {
      this.client.shell(window, (e, ch) => (e ? reject(this.channelError(e)) : resolve(shellOf(ch))));
    });
  }

  async copyTo(hostPath: string, guestPath: string): Promise<void> {
    const sftp = await this.sftp();
    try {
      await putTree(sftp, hostPath, guestPath);
    } finally {
      sftp.end();
    }
  }

  async copyFrom(guestPath: string, hostPath: string): Promise<void> {
    const sftp = await this.sftp();
    try {
      await getTree(sftp, guestPath, hostPath);
    } finally {
      sftp.end();
    }
  }

  /**
   * A byte stream to a unix socket in the guest (docker-env). OpenSSH serves it as a
   * direct-streamlocal channel; dropbear (the QEMU image's sshd) does not, so the fallback is an exec
   * channel running `docker system dial-stdio`, the docker CLI's own stdio-to-socket bridge (what
   * DOCKER_HOST=ssh://... uses).
   */
  openUnixStream(socketPath: string): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.openssh_forwardOutStreamLocal(socketPath, (e, ch) => {
        if (!e) return resolve(ch);
        const line = shellQuote(['env', `DOCKER_HOST=unix://${socketPath}`, 'docker', 'system', 'dial-stdio']);
        this.client.exec(line, (e2, ch2) => (e2 ? reject(this.channelError(e2)) : resolve(ch2)));
      });
    });
  }

  /** a TCP connection to a port of the guest's own loopback (a published container port), as ssh -L does */
  openTcpStream(port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (e, ch) => (e ? reject(this.channelError(e)) : resolve(ch)));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.client.once('close', () => resolve());
      this.client.end();
      setTimeout(resolve, 2000).unref();
    });
  }

  private sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => this.client.sftp((e, s) => (e ? reject(this.channelError(e)) : resolve(s))));
  }

  private channelError(e: Error): AppError {
    return new AppError('UNAVAILABLE', `ssh connection to ${this.name} failed: ${e.message}`, {
      cause: e,
      suggestions: ['check that the vm is running: boxlab vm list'],
    });
  }
}

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, TERM: 15, PIPE: 13, ABRT: 6, SEGV: 11 };

function shellOf(ch: ClientChannel): GuestShell {
  let exitCode = 0;
  ch.on('exit', (c: number | null) => (exitCode = c ?? 0));
  return {
    write: (d) => void ch.write(d),
    onData: (l) => {
      ch.on('data', l);
      ch.stderr.on('data', l);
    },
    onExit: (l) => ch.on('close', () => l(exitCode)),
    resize: (cols, rows) => void ch.setWindow(rows, cols, 0, 0),
    close: () => void ch.close(),
    // a paused ssh2 channel stops sending WINDOW_ADJUST once its buffer is full: sshd stops reading the pty
    pause: () => {
      ch.pause();
      ch.stderr.pause();
    },
    resume: () => {
      ch.resume();
      ch.stderr.resume();
    },
  };
}

function sftpCall<T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v as T))));
}

async function putTree(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  const st = await fs.stat(from);
  if (st.isDirectory()) {
    await sftpCall<void>((cb) => sftp.mkdir(to, { mode: st.mode & 0o7777 }, (e) => cb(e && !/exist|failure/i.test(e.message) ? e : null))).catch(() => undefined);
    for (const entry of await fs.readdir(from)) await putTree(sftp, path.join(from, entry), path.posix.join(to, entry));
  } else {
    await sftpCall<void>((cb) => sftp.fastPut(from, to, { mode: st.mode & 0o7777 }, (e) => cb(e)));
  }
}

async function getTree(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  const st = await sftpCall<{ isDirectory(): boolean; mode: number }>((cb) => sftp.stat(from, cb));
  if (st.isDirectory()) {
    await fs.mkdir(to, { recursive: true });
    const entries = await sftpCall<{ filename: string }[]>((cb) => sftp.readdir(from, cb));
    for (const e of entries) await getTree(sftp, path.posix.join(from, e.filename), path.join(to, e.filename));
  } else {
    await sftpCall<void>((cb) => sftp.fastGet(from, to, (e) => cb(e)));
    await fs.chmod(to, st.mode & 0o7777);
  }
}
