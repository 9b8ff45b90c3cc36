// Web terminal benchmarks (issue 8): keystroke-to-echo latency through the WebSocket and a real pty
// (p50/p99 over 1000 keys; goal p50 < 5 ms, p99 < 20 ms on loopback), `yes` flood throughput with
// flow control on (the client acknowledges like the page does), and the server's memory with 50 open
// terminals. Needs no root and no engine: the web server runs in this process with bash under node-pty.
// bench/run.ts calls benchWeb() and prints formatWebBench().
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { TraceFeed } from '../src/web/server/trace-feed.js';
import type { EngineControl, LabBackend } from '../src/web/server/web-backend.js';
import { startWebServer } from '../src/web/server/web-server.js';
import { ptyTerminalFactory } from '../src/web/terminal/pty-terminal-session.js';
import { decodeServerMessage, encodeMessage } from '../src/web/terminal/terminal-protocol.js';

export interface WebBenchResult {
  keys: number;
  echoP50Ms: number;
  echoP99Ms: number;
  floodSeconds: number;
  floodMiBPerSecond: number;
  /** server RSS growth during the flood: flow control keeps it flat */
  floodRssGrowthMiB: number;
  terminals: number;
  /** server RSS growth with that many terminals open (their shells are separate processes) */
  terminalsRssGrowthMiB: number;
}

const noLabs: LabBackend = {
  catalog: async () => [],
  open: async () => { throw new Error('no labs in the benchmark'); },
  step: async () => { throw new Error('no labs in the benchmark'); },
  check: async () => { throw new Error('no labs in the benchmark'); },
  reset: async () => { throw new Error('no labs in the benchmark'); },
  solve: async () => { throw new Error('no labs in the benchmark'); },
  watch: async () => undefined,
  terminalEnv: async () => ({}),
};

const noEngine: EngineControl = {
  status: () => ({ state: 'ready', socket: '', message: '', log: [] }),
  retry: () => undefined,
  onChange: () => () => undefined,
};

class Client {
  private listeners = new Set<(d: string) => void>();
  private constructor(readonly ws: WebSocket) {}

  static open(url: string, origin: string, ackEvery = 8192): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { origin } });
      const c = new Client(ws);
      let unacked = 0;
      ws.on('message', (raw: Buffer) => {
        const m = decodeServerMessage(raw.toString('utf8'));
        if (!m.ok) return;
        if (m.message.t === 'hello') resolve(c);
        if (m.message.t !== 'data') return;
        unacked += m.message.d.length;
        // acknowledge as the page does once xterm.js has written the data
        if (unacked >= ackEvery) {
          ws.send(encodeMessage({ t: 'ack', n: unacked }));
          unacked = 0;
        }
        for (const l of c.listeners) l(m.message.d);
      });
      ws.on('error', reject);
    });
  }

  onData(l: (d: string) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  send(d: string): void {
    this.ws.send(encodeMessage({ t: 'data', d }));
  }

  /** sends `d` and resolves when output containing `until` arrives */
  roundTrip(d: string, until: string): Promise<void> {
    return new Promise((resolve) => {
      let seen = '';
      const off = this.onData((x) => {
        seen += x;
        if (seen.includes(until)) {
          off();
          resolve();
        }
      });
      this.send(d);
    });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const rssMiB = () => process.memoryUsage().rss / 1024 / 1024;

export async function benchWeb(options: { keys?: number; floodSeconds?: number; terminals?: number } = {}): Promise<WebBenchResult> {
  const keys = options.keys ?? 1000;
  const floodSeconds = options.floodSeconds ?? 3;
  const terminals = options.terminals ?? 50;
  const home = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-bench-'));
  const token = 'bench';
  const server = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    token,
    lang: 'en',
    sandbox: { provider: 'local' },
    labs: noLabs,
    engine: noEngine,
    trace: new TraceFeed(path.join(home, 'none.sock')),
    terminals: ptyTerminalFactory({ file: 'bash', args: ['--norc', '--noprofile', '-i'], cwd: home, env: { PS1: '$ ', HOME: home } }),
    staticDir: home,
  });
  const origin = `http://127.0.0.1:${server.port}`;
  const url = `ws://127.0.0.1:${server.port}/ws/terminal?token=${token}&cols=200&rows=50`;
  const clients: Client[] = [];
  try {
    // keystroke -> echo: one key, wait for the pty's echo of it
    const c = await Client.open(url, origin);
    clients.push(c);
    await c.roundTrip('stty -echoctl; echo re$((1+1))ady\r', 're2ady');
    const times: number[] = [];
    for (let i = 0; i < keys; i++) {
      if (i % 50 === 0) {
        c.send('\x15'); // Ctrl-U: an empty line again, so readline never wraps; not timed
        await new Promise((r) => setTimeout(r, 20));
      }
      const key = String.fromCharCode(97 + (i % 26));
      const t0 = process.hrtime.bigint();
      await c.roundTrip(key, key);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    c.send('\x15');
    times.sort((a, b) => a - b);

    // yes flood for a few seconds, with the client acknowledging
    let bytes = 0;
    const rss0 = rssMiB();
    let rssMax = rss0;
    const off = c.onData((d) => (bytes += d.length));
    const t0 = Date.now();
    c.send('yes\r');
    const probe = setInterval(() => (rssMax = Math.max(rssMax, rssMiB())), 50);
    await new Promise((r) => setTimeout(r, floodSeconds * 1000));
    clearInterval(probe);
    const elapsed = (Date.now() - t0) / 1000;
    off();
    await c.roundTrip('\x03', '$ ');

    // memory with many terminals open
    const before = rssMiB();
    for (let i = 0; i < terminals; i++) {
      const t = await Client.open(url, origin);
      clients.push(t);
      await t.roundTrip('echo up$((2+2))\r', 'up4');
    }
    const after = rssMiB();
    return {
      keys,
      echoP50Ms: percentile(times, 50),
      echoP99Ms: percentile(times, 99),
      floodSeconds: elapsed,
      floodMiBPerSecond: bytes / 1024 / 1024 / elapsed,
      floodRssGrowthMiB: rssMax - rss0,
      terminals,
      terminalsRssGrowthMiB: after - before,
    };
  } finally {
    for (const c of clients) c.ws.close();
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

export function formatWebBench(r: WebBenchResult): string[] {
  return [
    `${'web terminal keystroke -> echo'.padEnd(58)} p50 ${r.echoP50Ms.toFixed(2)} ms  p99 ${r.echoP99Ms.toFixed(2)} ms  (n=${r.keys})   goal: p50 < 5 ms, p99 < 20 ms`,
    `${'web terminal `yes` flood (flow control on)'.padEnd(58)} ${r.floodMiBPerSecond.toFixed(1)} MiB/s over ${r.floodSeconds.toFixed(1)} s, server RSS +${r.floodRssGrowthMiB.toFixed(1)} MiB`,
    `${`web server with ${r.terminals} open terminals`.padEnd(58)} RSS +${r.terminalsRssGrowthMiB.toFixed(1)} MiB`,
  ];
}

// `node dist/bench/web.js` runs it alone
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchWeb().then((r) => {
    for (const line of formatWebBench(r)) console.log(line);
    process.exit(0);
  }, (err) => {
    console.error(err);
    process.exit(1);
  });
}
