// boxlab's web server: one HTML page, one bundled script and stylesheet, a small JSON API for the labs, two
// event streams (automatic checks, the engine's trace) and the terminal WebSocket (ws). Every request is
// checked by web-auth (token + Origin) before anything else. Routes are listed in docs/web-protocol.md.
import type { InboxEntry } from '../../classroom/class-membership.js';
import type { ClassHelp, HelpAnswer } from '../../classroom/terminal-mirror.js';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { invalidArgument, isAppError, messageOf } from '../../core/errors.js';
import type { Lang } from '../../core/lang.js';
import { TerminalHub } from '../terminal/terminal-hub.js';
import { decodeClientMessage, encodeMessage } from '../terminal/terminal-protocol.js';
import type { TerminalFactory } from '../terminal/terminal-session.js';
import { CONTENT_SECURITY_POLICY, indexHtml, type PageSandbox } from './index-html.js';
import type { TraceSource } from './trace-feed.js';
import type { EngineControl, LabBackend, TutorialBackend } from './web-backend.js';
import { allowedOrigins, checkRequest, pageOrigin, tokenCookie, type AuthPolicy } from './web-auth.js';
import { proxyToPort, type PortOpener } from './port-proxy.js';
import { parsePortPath, portKeyMatches, publishedPorts } from './published-ports.js';

export interface WebServerOptions {
  host: string;
  /** 0 picks a free port */
  port: number;
  token: string;
  lang: Lang;
  /** the sandbox the terminals and checks run in (the page warns when it is this computer) */
  sandbox: PageSandbox;
  labs: LabBackend;
  /** the tutorials played on the page; none when absent */
  tutorials?: TutorialBackend;
  engine: EngineControl;
  trace: TraceSource;
  /** the trace of a multi-node lab's node (its own boxlabd): the panel follows the node tab in front */
  nodeTrace?: (node: string) => TraceSource;
  terminals: TerminalFactory;
  /** the shells of a multi-node lab's node (its VM's own shell): one terminal tab per node */
  nodeTerminals?: (node: string) => TerminalFactory;
  /** the folder with app.js and app.css (dist/web) */
  staticDir: string;
  /** the sandbox's published ports: what runs, and a way in (none: the page lists no ports) */
  ports?: SandboxPorts;
  graceMs?: number;
  /** what the student's class teacher sent (the class agent's inbox); none when absent */
  classInbox?: () => Promise<InboxEntry[]>;
  /** the class's terminal watch and the student's consent to help (terminal-mirror.ts); none when not in a class */
  classHelp?: ClassHelp;
}

export interface SandboxPorts {
  /** the engine's running containers (GET /containers/json) */
  containers(): Promise<Parameters<typeof publishedPorts>[0]>;
  open: PortOpener;
}

export interface RunningWebServer {
  port: number;
  host: string;
  url: string;
  hub: TerminalHub;
  close(): Promise<void>;
}

const STATIC: Record<string, string> = {
  '/app.js': 'application/javascript; charset=utf-8',
  '/app.js.map': 'application/json',
  '/app.css': 'text/css; charset=utf-8',
  '/app.css.map': 'application/json',
};

const STATUS: Record<string, number> = { NOT_FOUND: 404, ALREADY_EXISTS: 409, INVALID_ARGUMENT: 400, FAILED_PRECONDITION: 412, UNAVAILABLE: 503 };

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value));

function langOf(url: URL, fallback: Lang): Lang {
  const l = url.searchParams.get('lang');
  return l === 'zh' || l === 'en' ? l : fallback;
}

function sse(res: http.ServerResponse): (event: string, data: unknown) => void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write(': boxlab\n\n');
  return (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** a small text body (a predict step's answer); more than max bytes is refused */
async function readText(req: http.IncomingMessage, max: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw invalidArgument(`the answer is longer than ${max} bytes`, { suggestions: ['write a short answer: a number, a word, a line'] });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function intParam(v: string | null, fallback: number, max: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 && n <= max ? n : fallback;
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const hub = new TerminalHub({ factory: options.terminals, graceMs: options.graceMs });
  let policy: AuthPolicy = { token: options.token, origins: [] };
  const streams = new Set<http.ServerResponse>();

  async function route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const lang = langOf(url, options.lang);
    const method = req.method ?? 'GET';
    const p = url.pathname;
    if (method === 'GET' && p === '/') return send(res, 200, indexHtml(lang, options.sandbox, options.classHelp !== undefined), 'text/html; charset=utf-8', { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
    if (method === 'GET' && STATIC[p]) {
      const body = await fs.readFile(path.join(options.staticDir, p.slice(1))).catch(() => undefined);
      if (!body) return json(res, 404, { message: `${p} is missing: build the page with npm run build:web` });
      res.writeHead(200, { 'Content-Type': STATIC[p], 'Cache-Control': 'no-cache' });
      res.end(body);
      return;
    }
    if (method === 'GET' && p === '/api/labs') return json(res, 200, await options.labs.catalog(lang));
    if (method === 'GET' && p === '/api/engine') return json(res, 200, options.engine.status());
    if (method === 'GET' && p === '/api/class/messages') return json(res, 200, options.classInbox ? await options.classInbox() : []);
    if (method === 'GET' && p === '/api/class/help') {
      // the consent bar: whether the teacher watches, asks to help, may type; live as server-sent events
      const emit = sse(res);
      emit('help', options.classHelp?.view() ?? { connected: false, watched: false, recorded: false, help: 'none' });
      const off = options.classHelp?.onChange((v) => emit('help', v));
      streams.add(res);
      res.on('close', () => (off?.(), streams.delete(res)));
      return;
    }
    const helpAnswer = /^\/api\/class\/help\/(allow|refuse|stop)$/.exec(p)?.[1] as HelpAnswer | undefined;
    if (method === 'POST' && helpAnswer) {
      if (!options.classHelp) return json(res, 404, { message: 'this boxlab is in no class: boxlab class join' });
      return json(res, 200, options.classHelp.answer(helpAnswer));
    }
    if (method === 'GET' && p === '/api/ports') return json(res, 200, options.ports ? publishedPorts(await options.ports.containers(), options.token) : []);
    if (method === 'POST' && p === '/api/engine/retry') {
      options.engine.retry();
      return json(res, 202, options.engine.status());
    }
    if (method === 'GET' && p === '/api/engine/events') {
      const emit = sse(res);
      emit('engine', options.engine.status());
      const off = options.engine.onChange((s) => emit('engine', s));
      streams.add(res);
      res.on('close', () => (off(), streams.delete(res)));
      return;
    }
    if (method === 'GET' && p === '/api/trace') {
      // ?lab=<id>&node=<name>: that node's engine (terminalEnv refuses a node the lab lacks); else the sandbox's
      const node = url.searchParams.get('node');
      if (node !== null) {
        if (!options.nodeTrace) return json(res, 404, { message: `this server has no trace of lab nodes (node "${node}")` });
        await options.labs.terminalEnv(url.searchParams.get('lab') ?? '', node);
      }
      const trace = node !== null ? options.nodeTrace!(node) : options.trace;
      const emit = sse(res);
      for (const e of trace.history()) emit('trace', e);
      // what follows happens while the page watches: the panel shows that part by default
      emit('live', {});
      const off = trace.subscribe((e) => emit('trace', e));
      streams.add(res);
      res.on('close', () => (off(), streams.delete(res)));
      return;
    }
    if (method === 'GET' && p === '/api/tutorials') return json(res, 200, options.tutorials ? await options.tutorials.catalog(lang) : []);
    const tutorial = /^\/api\/tutorials\/([A-Za-z0-9._-]+)(?:\/steps\/(\d+)\/run|\/(reset))?$/.exec(p);
    if (tutorial && method === 'POST') {
      const [, id, stepText, reset] = tutorial;
      if (!options.tutorials) return json(res, 404, { message: 'this server plays no tutorials' });
      if (reset) {
        await options.tutorials.reset(id, lang);
        return json(res, 200, { reset: id });
      }
      if (stepText !== undefined) return json(res, 200, await options.tutorials.run(id, Number(stepText), lang));
      return json(res, 200, await options.tutorials.open(id, lang));
    }
    const lab = /^\/api\/labs\/([A-Za-z0-9._-]+)(?:\/(reset)|\/steps\/(\d+)(\/check|\/watch|\/solve|\/hint|\/answer)?)?$/.exec(p);
    if (lab) {
      const [, id, reset, stepText, action] = lab;
      if (reset) {
        if (method === 'POST') return json(res, 200, await options.labs.reset(id, lang));
      } else if (stepText === undefined) {
        if (method === 'POST') return json(res, 200, await options.labs.open(id, lang));
      } else {
        const index = Number(stepText);
        if (method === 'GET' && !action) return json(res, 200, await options.labs.step(id, index, lang));
        if (method === 'POST' && action === '/check') return json(res, 200, await options.labs.check(id, index, lang));
        if (method === 'POST' && action === '/solve') return json(res, 200, await options.labs.solve(id, index, lang));
        if (method === 'POST' && action === '/hint' && options.labs.hint) return json(res, 200, await options.labs.hint(id, index, lang));
        if (method === 'POST' && action === '/answer' && options.labs.answer) return json(res, 200, await options.labs.answer(id, index, await readText(req, 1000), lang));
        if (method === 'GET' && action === '/watch') {
          const emit = sse(res);
          const abort = new AbortController();
          streams.add(res);
          res.on('close', () => (abort.abort(), streams.delete(res)));
          options.labs
            .watch(id, index, lang, abort.signal, (r) => emit('check', r))
            .catch((err) => emit('failure', { message: messageOf(err) }))
            .finally(() => res.end());
          return;
        }
      }
    }
    json(res, 404, { message: `no such page or API: ${method} ${p}` });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // a published port's address carries its own key (published-ports.ts), not the page's token
    const portPath = parsePortPath(url.pathname);
    if (portPath && options.ports) {
      if (!portKeyMatches(options.token, portPath)) return json(res, 403, { message: `wrong key for port ${portPath.port}: open it from the page's list of published ports` });
      void proxyToPort(req, res, options.ports.open, portPath.port, portPath.rest + url.search);
      return;
    }
    const auth = checkRequest({ url: req.url ?? '/', headers: req.headers }, policy);
    if (!auth.ok) return json(res, auth.status, { message: auth.reason });
    if (auth.via === 'query' && req.method === 'GET' && url.pathname === '/') {
      // trade the token in the address bar for a cookie, and drop it from the URL (history, screenshots)
      res.writeHead(302, { Location: '/' + url.hash, 'Set-Cookie': tokenCookie(options.token), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    route(req, res, url).catch((err) => {
      if (res.headersSent) return res.end();
      const status = isAppError(err) ? (STATUS[err.code] ?? 500) : 500;
      json(res, status, { message: messageOf(err), code: isAppError(err) ? err.code : 'INTERNAL', suggestions: isAppError(err) ? err.suggestions : [] });
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = checkRequest({ url: req.url ?? '/', headers: req.headers }, policy);
    if (!auth.ok || url.pathname !== '/ws/terminal') {
      const status = auth.ok ? 404 : auth.status;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => void attachTerminal(ws, url));
  });

  async function attachTerminal(ws: WebSocket, url: URL): Promise<void> {
    const labId = url.searchParams.get('lab') ?? '';
    const tutorialId = url.searchParams.get('tutorial') ?? '';
    // messages that arrive while the shell is being made are kept, not lost
    const early: string[] = [];
    const onEarly = (d: Buffer) => early.push(d.toString('utf8'));
    ws.on('message', onEarly);
    try {
      // a tutorial's shell starts in its folder, with $TUTORIAL_DIR; a lab's has LAB_ID, LAB_DIR, DOCKER_HOST
      // a multi-node lab's tab names its node: the shell opens there (terminalEnv refuses a node the lab lacks)
      const node = url.searchParams.get('node') ?? undefined;
      const place = tutorialId && options.tutorials ? await options.tutorials.terminalEnv(tutorialId) : { env: labId ? await options.labs.terminalEnv(labId, node) : {} };
      const factory = node && !tutorialId ? options.nodeTerminals?.(node) : undefined;
      if (node && !tutorialId && !factory) throw new Error(`this server has no shells on lab nodes (node "${node}"): run boxlab lab shell ${node}`);
      const attachment = await hub.attach(ws, {
        key: tutorialId ? `tutorial:${tutorialId}` : node ? `${labId}@${node}` : labId,
        ...(factory ? { factory } : {}),
        session: url.searchParams.get('session') ?? undefined,
        cols: intParam(url.searchParams.get('cols'), 80, 1000),
        rows: intParam(url.searchParams.get('rows'), 24, 500),
        ...place,
      });
      ws.off('message', onEarly);
      const handle = (raw: string) => {
        const m = decodeClientMessage(raw);
        if (m.ok) attachment.receive(m.message);
        else ws.send(encodeMessage({ t: 'error', message: m.error }));
      };
      early.forEach(handle);
      ws.on('message', (d: Buffer) => handle(d.toString('utf8')));
      ws.on('close', () => attachment.detach());
    } catch (err) {
      ws.send(encodeMessage({ t: 'error', message: `could not open a terminal: ${messageOf(err)}` }));
      ws.close(1011, 'terminal failed');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  policy = { token: options.token, origins: allowedOrigins(options.host, port), anyHost: options.host === '0.0.0.0' || options.host === '::' };
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    port,
    host: options.host,
    url: `${pageOrigin(shownHost, port)}/?token=${encodeURIComponent(options.token)}`,
    hub,
    async close() {
      hub.closeAll();
      await options.tutorials?.close();
      for (const c of wss.clients) c.terminate();
      for (const s of streams) s.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
