// boxlabd's Docker Engine API endpoint: Node's http server on a unix socket (the docker CLI's default
// transport, `DOCKER_HOST=unix://...`). It strips and checks the version prefix, routes, turns errors into
// Docker's `{"message": ...}` answers, and hands Upgrade requests (attach, exec start) to the same routes
// with a socket-backed Reply so they can hijack the connection.
// A TCP listener may speak TLS, as dockerd's with --tls/--tlsverify: the same routes behind Node's TLS
// server; with `verify`, a client must show a certificate signed by the CA (mutual TLS, the only thing
// that keeps a network from being root on the host). A plain HTTP request on that port gets Go's answer,
// "Client sent an HTTP request to an HTTPS server.", which the docker CLI prints as dockerd's.
import { promises as fs } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { silentLogger, type Logger } from '../../core/logger.js';
import { messageOf } from '../../core/errors.js';
import { splitVersion } from './api-version.js';
import { errorAnswer } from './http-status.js';
import { Query } from './query.js';
import { ResponseReply, SocketReply, type Reply } from './reply.js';
import { collect, parseJsonBody, type RequestContext } from './request-context.js';
import { declaredTooLarge, HIJACK_BODY_LIMIT, JSON_BODY_LIMIT } from './body-limits.js';
import type { Router } from './router.js';
import { notePhase, phaseStart } from '../../core/phase-timing.js';
import { readUpgradeBody } from './upgrade-body.js';

/** the TLS of a TCP listener: PEM contents; with verify, clients need a certificate signed by ca */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  verify: boolean;
}

/** Go's net/http answer to plain HTTP on a TLS port (the first byte of a TLS connection is 0x16, a handshake record) */
const PLAIN_HTTP_ON_TLS = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';
const TLS_HANDSHAKE_RECORD = 0x16;

export class ApiServer {
  private readonly servers: Array<http.Server | net.Server> = [];
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly router: Router,
    private readonly log: Logger = silentLogger,
  ) {}

  /** one http.Server per address, all answering with the same router (an https.Server for a TLS one) */
  private newServer(tls?: ServerTls): http.Server {
    // dispatch answers every failure of a handler; a failure while answering it ends that connection only
    const lastResort = (what: string, end: () => void) => (err: unknown) => {
      this.log.error(`${what} failed while answering: ${messageOf(err)}`);
      end();
    };
    const onRequest = (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res).catch(lastResort(`${req.method} ${req.url}`, () => res.destroy()));
    // dockerd's tlsconfig.Server: TLS 1.2 at least; with verify, RequireAndVerifyClientCert against the CA only
    const server = tls
      ? https.createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', ...(tls.verify ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}) }, onRequest)
      : http.createServer(onRequest);
    if (tls) server.on('tlsClientError', (err: Error) => this.log.debug(`TLS handshake error: ${messageOf(err)}`));
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      void this.onUpgrade(req, socket, head).catch(lastResort(`${req.method} ${req.url}`, () => socket.destroy())),
    );
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // streams (logs -f, events, attach) stay open for as long as the client wants
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    server.keepAliveTimeout = 5_000;
    this.servers.push(server);
    return server;
  }

  /** listens on a unix socket: a stale socket file from a previous run is removed first; mode 0660 */
  async listenUnix(socketPath: string): Promise<void> {
    await fs.mkdir(path.dirname(socketPath), { recursive: true });
    await fs.rm(socketPath, { force: true });
    const server = this.newServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await fs.chmod(socketPath, 0o660);
  }

  /** listens on host:port (port 0: any free port), with TLS if given; returns the address bound */
  async listenTcp(address: { host: string; port: number }, tls?: ServerTls): Promise<{ host: string; port: number }> {
    const server = this.newServer(tls);
    // with TLS, a plain listener looks at the first byte: a TLS handshake goes on to the TLS server
    const listener = tls ? net.createServer((socket) => this.tlsOrPlain(socket, server)) : server;
    if (tls) {
      this.servers.push(listener);
      listener.on('connection', (socket: Socket) => {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
      });
    }
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(address.port, address.host, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    const addr = listener.address();
    return { host: address.host, port: typeof addr === 'object' && addr ? addr.port : address.port };
  }

  private tlsOrPlain(socket: Socket, tlsServer: http.Server): void {
    socket.on('error', (err) => this.log.debug(`connection error: ${messageOf(err)}`));
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      if (chunk[0] === TLS_HANDSHAKE_RECORD) {
        socket.unshift(chunk);
        tlsServer.emit('connection', socket);
      } else {
        this.log.debug('plain HTTP on the TLS port: answered 400');
        socket.end(PLAIN_HTTP_ON_TLS);
      }
    });
  }

  /** stops accepting, ends open streams (attach sessions are closed by their handlers' onClose) */
  async close(): Promise<void> {
    // (a TLS server behind a plain listener never listened itself: its close answers at once)
    const closed = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(closed);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = new ResponseReply(req, res);
    let bodyPromise: Promise<Buffer> | undefined;
    const readBody = (limit: number) => {
      const tooLarge = declaredTooLarge(req.headers['content-length'], limit);
      return (bodyPromise ??= tooLarge ? Promise.reject(tooLarge) : collect(req, limit));
    };
    await this.dispatch(req, reply, req, readBody);
  }

  private async onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const reply = new SocketReply(socket, req.method ?? 'GET');
    socket.on('error', (err) => this.log.debug(`hijacked connection error: ${messageOf(err)}`));
    const length = Number(req.headers['content-length'] ?? 0) || 0;
    let bodyPromise: Promise<Buffer> | undefined;
    const readBody = (limit: number) => (bodyPromise ??= readUpgradeBody(socket, head, length, limit));
    if (length === 0 && head.length > 0) socket.unshift(head);
    // the body stream of an upgraded request is whatever comes after the declared body
    const body = new PassThrough();
    await this.dispatch(req, reply, body, readBody);
  }

  private async dispatch(req: IncomingMessage, reply: Reply, body: Readable, readBodyUpTo: (limit: number) => Promise<Buffer>): Promise<void> {
    const started = Date.now();
    const t0 = phaseStart();
    let timedAs = '';
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://boxlabd');
    try {
      const { version, path: routePath } = splitVersion(url.pathname);
      const match = this.router.match(method, routePath);
      if (match.kind === 'not-found') {
        reply.json(404, { message: 'page not found' });
        return;
      }
      timedAs = `${method} ${match.route.pattern}`;
      // each route reads at most what its kind of body needs (see body-limits.ts)
      const readBody = () => readBodyUpTo(match.route.hijack ? HIJACK_BODY_LIMIT : JSON_BODY_LIMIT);
      const ctx: RequestContext = {
        method,
        path: routePath,
        version,
        params: match.params,
        query: Query.parse(url.search),
        headers: req.headers,
        body,
        readBody,
        readJson: async <T>() => parseJsonBody<T>(await readBody()),
        reply,
      };
      await match.route.handler(ctx);
    } catch (err) {
      const answer = errorAnswer(err);
      if (answer.status >= 500) this.log.warn(`${method} ${url.pathname}: ${answer.body.message}`);
      if (!reply.started) reply.json(answer.status, answer.body);
      else this.log.debug(`${method} ${url.pathname} failed after the answer started: ${answer.body.message}`);
    } finally {
      this.log.debug(`${method} ${url.pathname}${url.search} (${Date.now() - started} ms)`);
      // opt-in (core/phase-timing.ts): each round trip as the engine sees it, for the bench's phase table
      if (timedAs) notePhase(url.pathname.match(/\/containers\/([0-9a-f]{64})/)?.[1] ?? '', `http.${timedAs}`, t0);
    }
  }
}
