// How a handler answers. Most requests arrive on Node's http server and are answered on its
// ServerResponse; requests carrying `Connection: Upgrade` (the docker CLI's attach and exec start) arrive
// as a bare socket, where the answer is written by hand. Both sides implement Reply, so handlers do not
// care which one they got; only `hijack` differs: on a socket it answers "101 UPGRADED" and gives the raw
// connection (this is Docker's "hijacking"), on a response it streams the body of a 200 answer.
import type { ServerResponse, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { reasonPhrase } from './http-status.js';

export type Headers = Record<string, string>;

export interface HijackedStreams {
  /** bytes from the client (its stdin); ends when the client half-closes */
  input: Readable;
  /** bytes to the client */
  output: Writable;
}

export interface Reply {
  readonly started: boolean;
  json(status: number, value: unknown, headers?: Headers): void;
  /** an answer without a body (204, 304, or a HEAD answer) */
  empty(status: number, headers?: Headers): void;
  /** starts a streamed body; write to the result and end it */
  stream(status: number, headers: Headers): Writable;
  hijack(contentType: string): HijackedStreams;
  /** called once when the client goes away (or the answer is over) */
  onClose(listener: () => void): void;
}

export class ResponseReply implements Reply {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  json(status: number, value: unknown, headers: Headers = {}): void {
    const body = Buffer.from(JSON.stringify(value) + '\n');
    this.res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers });
    this.res.end(this.req.method === 'HEAD' ? undefined : body);
  }

  empty(status: number, headers: Headers = {}): void {
    this.res.writeHead(status, headers);
    this.res.end();
  }

  stream(status: number, headers: Headers): Writable {
    // a handler may still write when the client has gone (or after a late failure): that is the
    // request's end, never an 'error' event nobody hears, which would end the engine
    this.res.on('error', () => undefined);
    this.res.writeHead(status, headers);
    // stream clients (logs -f, events, stats) must see each chunk at once, not after Nagle's delay
    this.res.socket?.setNoDelay(true);
    this.res.flushHeaders();
    return this.res;
  }

  hijack(contentType: string): HijackedStreams {
    const output = this.stream(200, { 'Content-Type': contentType });
    return { input: this.req, output };
  }

  onClose(listener: () => void): void {
    this.res.once('close', listener);
  }
}

export class SocketReply implements Reply {
  private headWritten = false;

  constructor(
    private readonly socket: Socket,
    private readonly method: string,
  ) {}

  get started(): boolean {
    return this.headWritten;
  }

  private writeHead(status: number, headers: Headers): void {
    const lines = [`HTTP/1.1 ${status} ${reasonPhrase(status)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    this.socket.write(lines.join('\r\n') + '\r\n\r\n');
    this.headWritten = true;
  }

  json(status: number, value: unknown, headers: Headers = {}): void {
    const body = Buffer.from(JSON.stringify(value) + '\n');
    this.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length), Connection: 'close', ...headers });
    if (this.method === 'HEAD') this.socket.end();
    else this.socket.end(body);
  }

  empty(status: number, headers: Headers = {}): void {
    this.writeHead(status, { 'Content-Length': '0', Connection: 'close', ...headers });
    this.socket.end();
  }

  stream(status: number, headers: Headers): Writable {
    // no length and no chunking: the body ends when the connection closes, as HTTP/1.0 did
    this.writeHead(status, { Connection: 'close', ...headers });
    return this.socket;
  }

  hijack(contentType: string): HijackedStreams {
    this.writeHead(101, { 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' });
    this.socket.setNoDelay(true);
    return { input: this.socket, output: this.socket };
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }
}
