// `docker exec`: another process in a running container's namespaces and cgroup. The engine writes a
// process.json (the container's process from config.json with the exec's args, env, user, cwd) and runs
// `runc exec --process <file>`: under node-pty for -t, with pipes otherwise. Execs live in memory, as
// in Docker: they are children of boxlabd and do not survive an engine restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type * as ptyTypes from 'node-pty';
import { writeJsonAtomic } from '../../core/atomic-file.js';
import { failedPrecondition, notFound } from '../../core/errors.js';
import { waitForFile } from '../../core/wait-for-file.js';
import { newId } from '../../core/ids.js';
import type { ExecCreateBody } from '../docker-model.js';
import type { Tracer } from '../trace/tracer.js';
import { resolveUser } from './oci-spec/resolve-user.js';
import { execProcessFile } from './container-files.js';
import type { OutputChunk, StdioSession, StdStream } from './container-service.js';
import { mergeEnv } from './oci-spec/resolve-process.js';
import { runcArgs, type Runc } from './runc.js';

interface ExecState {
  id: string;
  containerId: string;
  body: ExecCreateBody;
  started: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  tty: boolean;
  term?: ptyTypes.IPty;
  child?: ChildProcess;
  size: { cols: number; rows: number };
}

interface SpecProcess {
  args?: string[];
  env?: string[];
  cwd?: string;
  user?: { uid: number; gid: number; additionalGids?: number[] };
  terminal?: boolean;
  [key: string]: unknown;
}

/** the container's process (from its config.json) with what the exec asks for */
export function buildExecProcess(base: SpecProcess, body: ExecCreateBody, tty: boolean, user?: SpecProcess['user']): SpecProcess {
  const env = mergeEnv(base.env, tty ? ['TERM=xterm'] : [], body.Env);
  return {
    ...base,
    terminal: tty,
    args: body.Cmd,
    env,
    cwd: body.WorkingDir || base.cwd || '/',
    user: user ?? base.user ?? { uid: 0, gid: 0 },
  };
}

/**
 * runc's own refusal to start an exec'd process (a command not found, a cwd missing): it exits 255 with one
 * logfmt line, `time="..." level=error msg="exec failed: ..."`. Returns the reason in dockerd's words
 * ("OCI runtime exec failed: exec failed: ...: unknown"), or undefined when the process itself ran.
 */
export function runcExecFailure(exitCode: number | null, output: string): string | undefined {
  if (exitCode !== 255) return undefined;
  const m = /^time="[^"]*" level=error msg=("(?:[^"\\]|\\.)*")\n?$/.exec(output);
  if (!m) return undefined;
  try {
    return `OCI runtime exec failed: ${JSON.parse(m[1]!) as string}: unknown`;
  } catch {
    return undefined;
  }
}

export class ExecManager {
  private readonly execs = new Map<string, ExecState>();

  constructor(
    private readonly deps: {
      runc: Runc;
      containersDir: string;
      tracer: Tracer;
      /** an exec's process has ended (Docker's exec_die event) */
      onExit?: (exec: { id: string; containerId: string; exitCode: number }) => void;
    },
  ) {}

  create(containerId: string, body: ExecCreateBody): string {
    const id = newId();
    this.execs.set(id, { id, containerId, body, started: false, running: false, exitCode: null, pid: 0, tty: Boolean(body.Tty), size: { cols: 80, rows: 24 } });
    return id;
  }

  get(execId: string): ExecState {
    const e = this.execs.get(execId);
    if (!e) throw notFound(`No such exec instance: ${execId}`);
    return e;
  }

  idsOf(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId).map((e) => e.id);
  }

  private pidFile(e: ExecState): string {
    return path.join(this.deps.containersDir, e.containerId, `exec-${e.id}.pid`);
  }

  async start(execId: string, options: { detach: boolean; tty: boolean; specFile: string; rootfs: string }): Promise<StdioSession> {
    const e = this.get(execId);
    if (e.started) throw failedPrecondition(`exec ${execId} has already been started`);
    e.started = true;
    e.running = true;
    const tty = options.tty || e.tty;
    e.tty = tty;
    const spec = JSON.parse(await fs.readFile(options.specFile, 'utf8')) as { process?: SpecProcess };
    let user: SpecProcess['user'];
    if (e.body.User) {
      const resolved = await resolveUser(options.rootfs, e.body.User);
      user = { uid: resolved.uid, gid: resolved.gid, additionalGids: resolved.additionalGids };
    }
    const processFile = execProcessFile(this.deps.containersDir, e.containerId, e.id);
    await writeJsonAtomic(processFile, buildExecProcess(spec.process ?? {}, e.body, tty, user));
    const args = runcArgs.exec(this.deps.runc.root, e.containerId, processFile, this.pidFile(e), tty);
    this.deps.tracer.emit(e.containerId, 'runc.exec', { args: e.body.Cmd, runc: ['runc', ...args] });

    const listeners: Array<(c: OutputChunk) => void> = [];
    const backlog: OutputChunk[] = [];
    let closed = false;
    const deliver = (stream: StdStream, data: Buffer) => {
      if (closed || options.detach) return;
      const c = { stream, data };
      if (listeners.length === 0) backlog.push(c);
      for (const l of listeners) l(c);
    };
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const exited = (code: number) => {
      e.running = false;
      e.exitCode = code;
      e.term = undefined;
      e.child = undefined;
      void fs.rm(processFile, { force: true });
      void fs.rm(this.pidFile(e), { force: true });
      this.deps.onExit?.({ id: e.id, containerId: e.containerId, exitCode: code });
      finish();
    };
    let stdin: Writable | undefined;
    if (tty) {
      const pty = await loadPty();
      const term = pty.spawn(this.deps.runc.binary, args, {
        name: 'xterm',
        cols: e.size.cols,
        rows: e.size.rows,
        cwd: '/',
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
        encoding: null,
      } as ptyTypes.IPtyForkOptions);
      e.term = term;
      term.onData((d: string | Buffer) => deliver('stdout', typeof d === 'string' ? Buffer.from(d) : d));
      term.onExit(({ exitCode }) => exited(exitCode));
      if (e.body.AttachStdin && !options.detach) {
        stdin = new Writable({
          write(chunk: Buffer, _enc, cb) {
            try {
              term.write(chunk);
            } catch {
              // exited
            }
            cb();
          },
        });
      }
    } else {
      const wantIn = Boolean(e.body.AttachStdin) && !options.detach;
      const child = spawn(this.deps.runc.binary, args, { stdio: [wantIn ? 'pipe' : 'ignore', options.detach ? 'ignore' : 'pipe', options.detach ? 'ignore' : 'pipe'] });
      e.child = child;
      const ends: Array<Promise<void>> = [];
      for (const [stream, source] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
        if (!source) continue;
        source.on('data', (d: Buffer) => deliver(stream, d));
        ends.push(new Promise((resolve) => source.once('close', () => resolve())));
      }
      child.once('exit', (code, signal) => {
        void Promise.all(ends).then(() => exited(code ?? (signal ? 128 + (signalNo(signal) ?? 0) : 255)));
      });
      child.once('error', () => exited(126));
      if (wantIn && child.stdin) {
        const pass = new PassThrough();
        pass.pipe(child.stdin);
        child.stdin.on('error', () => undefined);
        stdin = pass;
      }
    }
    // `docker exec -d` returns once the process runs, as Docker's does: runc writes the pid file after
    // starting it (a check right after `exec -d` must find the process)
    if (options.detach) await Promise.race([waitForFile(this.pidFile(e), { timeoutMs: 30_000 }), done]);
    return {
      stdin,
      onOutput(listener) {
        listeners.push(listener);
        for (const c of backlog.splice(0)) listener(c);
      },
      done: options.detach ? Promise.resolve() : done,
      close() {
        closed = true;
        finish();
      },
    };
  }

  resize(execId: string, height: number, width: number): void {
    const e = this.get(execId);
    e.size = { cols: width, rows: height };
    try {
      e.term?.resize(Math.max(1, width), Math.max(1, height));
    } catch {
      // exited
    }
  }

  async inspect(execId: string): Promise<Record<string, unknown>> {
    const e = this.get(execId);
    if (e.running && e.pid === 0) {
      const text = await fs.readFile(this.pidFile(e), 'utf8').catch(() => '');
      e.pid = Number(text.trim()) || 0;
    }
    const [entrypoint, ...args] = e.body.Cmd;
    return {
      ID: e.id,
      Running: e.running,
      ExitCode: e.exitCode,
      ProcessConfig: { tty: e.tty, entrypoint, arguments: args, privileged: Boolean(e.body.Privileged), user: e.body.User ?? '' },
      OpenStdin: Boolean(e.body.AttachStdin),
      OpenStderr: Boolean(e.body.AttachStderr),
      OpenStdout: Boolean(e.body.AttachStdout),
      CanRemove: false,
      ContainerID: e.containerId,
      DetachKeys: e.body.DetachKeys ?? '',
      Pid: e.running ? e.pid : 0,
    };
  }

  /** sends a signal to a running exec's process (runc exec passes it on to the process in the container) */
  signal(execId: string, signal: NodeJS.Signals): void {
    const e = this.execs.get(execId);
    if (!e?.running) return;
    try {
      if (e.child) e.child.kill(signal);
      else e.term?.kill(signal);
    } catch {
      // exited meanwhile
    }
  }

  /** an exec nobody will inspect (a health probe): forgotten once it has ended */
  forget(execId: string): void {
    const e = this.execs.get(execId);
    if (e && !e.running) this.execs.delete(execId);
  }

  /** the container is gone: its finished execs go with it, as Docker forgets them */
  containerExited(containerId: string): void {
    for (const e of this.execs.values()) if (e.containerId === containerId && !e.running) this.execs.delete(e.id);
  }

  close(): void {
    for (const e of this.execs.values()) {
      try {
        e.term?.kill();
      } catch {
        // gone
      }
    }
  }
}

let ptyModule: Promise<typeof ptyTypes> | undefined;

/** node-pty is a native addon: loaded at the first tty exec rather than at engine start (~0.3 s under TCG) */
function loadPty(): Promise<typeof ptyTypes> {
  return (ptyModule ??= import('node-pty'));
}

function signalNo(signal: NodeJS.Signals): number | undefined {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };
  return table[signal];
}
