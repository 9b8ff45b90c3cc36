// Brings up the sandbox's engine for the page: if boxlabd answers on its socket, it is used as is; if not
// and the sandbox is this host (provider local), `boxlab engine start` runs as a child of `boxlab serve`,
// its output shown on the page while it comes up, with a clear message and a retry when it fails.
// The child is stopped with SIGTERM when serve stops (containers keep running, as with any engine stop).
// An engine it may not start (a VM's, reached through a forwarded socket) is asked again every few
// seconds while it does not answer: the first ask through ssh can be slow (a hosted seat's VM under TCG),
// and the page must turn ready by itself when the engine answers, not wait for a retry press.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { EngineControl, EngineStatus } from './web-backend.js';

export interface EngineSupervisorOptions {
  socket: string;
  /** argv that starts the engine (e.g. [node, bin/run.js, engine, start, --socket, S]); absent: never start one */
  startCommand?: string[];
  startTimeoutMs?: number;
  pollMs?: number;
  /** how long one /_ping may take (default 1 s; a VM's engine through ssh deserves more) */
  pingTimeoutMs?: number;
  /** without a start command: how often an engine that does not answer is asked again (default 2 s) */
  watchMs?: number;
}

const LOG_LINES = 40;

/** GET /_ping on the engine's unix socket: true when boxlabd answers OK */
export function pingEngine(socket: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export class EngineSupervisor implements EngineControl {
  private current: EngineStatus;
  private child?: ChildProcess;
  private readonly events = new EventEmitter();
  private stopped = false;
  private attempt = 0;
  private watch?: NodeJS.Timeout;

  constructor(private readonly options: EngineSupervisorOptions) {
    this.current = { state: 'checking', socket: options.socket, message: `looking for boxlabd on ${options.socket}`, log: [] };
  }

  status(): EngineStatus {
    return this.current;
  }

  onChange(listener: (s: EngineStatus) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  /** resolves once the engine is ready or has failed; the page follows along through onChange */
  async start(): Promise<EngineStatus> {
    const attempt = ++this.attempt;
    this.set({ state: 'checking', message: `looking for boxlabd on ${this.options.socket}`, log: [] });
    clearTimeout(this.watch);
    if (await this.ping()) return this.set({ state: 'ready', message: `boxlabd answers on ${this.options.socket}` });
    if (!this.options.startCommand) {
      if (!this.stopped) this.watchUntilUp(attempt);
      return this.set({
        state: 'external-down',
        message: `boxlabd does not answer on ${this.options.socket}; start it (boxlab engine start --socket ${this.options.socket}) and press retry`,
      });
    }
    // stopped while the socket was being asked (Ctrl-C right after start): a boxlabd started now would
    // outlive the stop and keep `boxlab serve` from exiting
    if (this.stopped) return this.current;
    return this.spawnEngine(attempt, this.options.startCommand);
  }

  retry(): void {
    if (this.current.state === 'starting' || this.current.state === 'checking') return;
    void this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.watch);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private ping(): Promise<boolean> {
    return pingEngine(this.options.socket, this.options.pingTimeoutMs);
  }

  /** asks an engine it may not start again until it answers (or a retry or stop takes over) */
  private watchUntilUp(attempt: number): void {
    const current = () => !this.stopped && attempt === this.attempt;
    const later = () => {
      this.watch = setTimeout(() => void again(), this.options.watchMs ?? 2000);
      this.watch.unref();
    };
    const again = async () => {
      if (!current()) return;
      const up = await this.ping();
      if (!current()) return;
      if (up) this.set({ state: 'ready', message: `boxlabd answers on ${this.options.socket}` });
      else later();
    };
    later();
  }

  private async spawnEngine(attempt: number, [file, ...args]: string[]): Promise<EngineStatus> {
    this.set({ state: 'starting', message: 'starting boxlabd (boxlab engine start)', log: [] });
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let exitText: string | undefined;
    const onLine = (chunk: Buffer) => {
      const lines = chunk.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      this.set({ log: [...this.current.log, ...lines].slice(-LOG_LINES) });
    };
    child.stdout?.on('data', onLine);
    child.stderr?.on('data', onLine);
    child.on('error', (err) => (exitText = err.message));
    child.on('exit', (code, signal) => {
      exitText ??= `exited with ${signal ?? `code ${code}`}`;
      if (!this.stopped && this.current.state === 'ready') {
        this.set({ state: 'failed', message: `boxlabd stopped (${exitText}); press retry to start it again` });
      }
    });
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline && attempt === this.attempt && !this.stopped) {
      if (exitText) break;
      if (await this.ping()) return this.set({ state: 'ready', message: `boxlabd started on ${this.options.socket}` });
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 200));
    }
    if (!exitText) {
      child.kill('SIGTERM');
      exitText = 'it did not answer in time';
    }
    return this.set({ state: 'failed', message: `boxlabd could not be started: ${exitText}; see the log below, fix it and press retry` });
  }

  private set(patch: Partial<EngineStatus>): EngineStatus {
    this.current = { ...this.current, ...patch };
    this.events.emit('change', this.current);
    return this.current;
  }
}
