// Where a class server listens: `--listen HOST:PORT` parsed once, loopback by default. Anything beyond
// loopback is the teacher's explicit choice, and the server says what it exposes there: the join
// endpoint (anyone on the network with a live code takes a seat) and the report and status endpoints
// (behind seat and teacher tokens, over plain HTTP that others on the network can read). Pure.
import { invalidArgument } from '../core/errors.js';

export const DEFAULT_CLASS_PORT = 7733;

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw invalidArgument(`--listen ${text} is not HOST:PORT`, { suggestions: [`--listen 127.0.0.1:${DEFAULT_CLASS_PORT} (this machine only)`, `--listen 0.0.0.0:${DEFAULT_CLASS_PORT} (every network this machine is on)`] });
  }
  return { host: m[1] ?? m[2], port };
}

export function formatListen(a: ListenAddress): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** what a bind beyond loopback lets others do, printed by `class serve` before it listens */
export function exposureNotice(a: ListenAddress): string[] {
  if (isLoopback(a.host)) return [];
  const where = a.host === '0.0.0.0' || a.host === '::' ? 'every network this machine is on' : `the network of ${a.host}`;
  return [
    `listening on ${formatListen(a)}: the class server is reachable from ${where}. It exposes:`,
    '  - POST /api/join: anyone who can reach it and has a live join code takes a seat (codes expire; revoke one with boxlab class code <class> --revoke CODE)',
    '  - the students\' reports and the teacher\'s status and export, each behind its own token, over plain HTTP (no TLS): use it on a network you trust',
    '  - nothing else: no shell, no sandbox, no file of this machine',
  ];
}
