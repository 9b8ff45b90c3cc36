// The class server (`boxlab class serve`): HTTP for joins, the students' reports and the teacher's
// status and export; a WebSocket that pushes the teacher the class's status after every join and
// report, and the teacher's page with the live grid that reads it (teacher-page.ts). One class per server; all state is in classroom.db
// (class-store.ts), read on every request, so `class close` from another terminal takes effect at once
// and a restarted server carries on where it was. Protocol: docs/classroom.md.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError, invalidArgument, notFound } from '../core/errors.js';
import { errorAnswer } from '../engine/api/http-status.js';
import { bearerToken, foreignOrigin, identify, mayReadSeat, type Caller } from './class-auth.js';
import { EXPORT_FORMATS, EXPORT_SHAPES, type ExportFormat, type ExportShape } from './class-export.js';
import { parseBroadcastRequest, parseCommandResult, parseHeartbeatRequest, parseJoinRequest, parseReportRequest, parseResetRequest } from './class-protocol.js';
import { exportClass, requestSeatReset, statusOf } from './class-service.js';
import { deadness, HEARTBEAT_MS, seatStatus } from './class-status.js';
import { exportRows } from './class-export.js';
import { ClassStore, hashToken, JoinRefused } from './class-store.js';
import { joinRefusalMessage } from './join-code.js';
import { JoinThrottle } from './join-throttle.js';
import { TEACHER_ASSETS, TEACHER_PAGE_HEADERS, teacherHtml } from './teacher-page.js';
import type { Lang } from '../core/lang.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { ReplayLog } from './replay-log.js';
import { TerminalRelay } from './terminal-relay.js';
import type { HostedSeats } from './hosted/hosted-seats.js';
import { JOIN_ASSETS, JOIN_SCRIPT, joinHtml } from './hosted/join-page.js';

export interface ClassServerOptions {
  store: ClassStore;
  className: string;
  host: string;
  port: number;
  now?: () => Date;
  /** a line for the teacher's terminal (a student joined, a report was refused) */
  log?: (line: string) => void;
  /** the teacher's page's language until the teacher picks one (the browser's language wins) */
  lang?: Lang;
  /** the folder with teacher.js and teacher.css (default: dist/web) */
  staticDir?: string;
  /** how often the teacher's page gets the status with no event (idle times grow, the idle turn stuck); at most half the class's dead-after */
  refreshMs?: number;
  /** how often the students' agents beat (told in each heartbeat's answer; default HEARTBEAT_MS) */
  heartbeatMs?: number;
  /** keep a replay of every seat's terminals, trace and checks (`class serve --record`, ADR 0024) */
  record?: boolean;
  /** the class's hosted seats (ADR 0025): a browser join gets a sandbox from the pool, a reset is done here */
  hosted?: HostedSeats;
  /** how often the hosted seats' sandboxes are asked whether they answer (default: a quarter of dead-after, at most 10 s) */
  hostedCheckMs?: number;
}

export interface ClassServer {
  host: string;
  port: number;
  /** http://host:port: what students pass to `boxlab class join` */
  url: string;
  /** the teacher's page (the live grid), with the teacher token */
  teacherUrl: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
/** dist/web: the teacher page's bundled script and styles */
const DEFAULT_STATIC_DIR = path.join(PACKAGE_ROOT, 'dist', 'web');
/** how long the class server gathers events into one status push to the teacher's page */
export const PUSH_WINDOW_MS = 50;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, { message: `request body over ${MAX_BODY} bytes` });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalidArgument('the request body is not JSON');
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) + '\n' : String(body);
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(text);
}

const forbidden = (message: string) => new HttpError(403, { message });
const unauthorized = () => new HttpError(401, { message: 'this needs a token: the seat token `boxlab class join` keeps, or the teacher token `boxlab class serve` prints' });

export async function startClassServer(options: ClassServerOptions): Promise<ClassServer> {
  const { store, className } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const teacherHash = hashToken(store.teacherToken(className));
  const throttle = new JoinThrottle();
  const watchers = new Set<WebSocket>();
  const replay = new ReplayLog(store.sqlite());
  const relay = new TerminalRelay({ record: options.record ?? false, replay, now, log, seatName: (id) => store.seat(id)?.name ?? id });

  const lookup = {
    isTeacher: (token: string) => hashToken(token) === teacherHash,
    seatOf: (token: string) => {
      const seat = store.seatByToken(token);
      return seat && seat.className === className ? seat.id : undefined;
    },
  };

  const pushNow = () => {
    if (watchers.size === 0) return;
    const text = JSON.stringify({ type: 'status', status: statusOf(store, className, now()) });
    for (const ws of watchers) ws.send(text);
  };
  // the events of one short window share one status: building it reads the whole class (~30 ms at 100
  // students on a busy host), and 100 students checking at once sent 30 a second, so the grid fell
  // seconds behind (bench/classroom.ts); a window adds at most PUSH_WINDOW_MS to an update
  let pushTimer: NodeJS.Timeout | undefined;
  const pushStatus = () => {
    if (watchers.size === 0 || pushTimer) return;
    pushTimer = setTimeout(() => {
      pushTimer = undefined;
      try {
        pushNow();
      } catch (err) {
        log(`the teacher's page was not updated: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, PUSH_WINDOW_MS);
  };

  const seatView = (seatId: string) => {
    const seat = store.seat(seatId);
    if (!seat || seat.className !== className) throw notFound(`seat ${seatId} not found in class "${className}"`);
    const cls = store.get(className);
    const results = store.results(className, seatId);
    const hints = store.hints(className, seatId);
    const life = { heartbeats: store.heartbeats(className).filter((h) => h.seatId === seatId), commands: store.commands(className).filter((c) => c.seatId === seatId), deadAfterMs: store.deadAfterMs(className) };
    return { seat, status: seatStatus(cls, seat, results, hints, now(), life), steps: exportRows(cls, [seat], results, hints), results };
  };

  const needSeat = (caller: Caller): string => {
    if (caller.kind === 'anonymous') throw unauthorized();
    if (caller.kind !== 'student') throw forbidden("this is a seat's: the teacher token has no seat");
    return caller.seatId;
  };
  const closedClass = () => new HttpError(410, { reason: 'closed', message: `class "${className}" is closed: it takes no more reports`, message_zh: `课堂 "${className}" 已结束，不再接收结果` });

  const needTeacher = (caller: Caller) => {
    if (caller.kind === 'anonymous') throw unauthorized();
    if (caller.kind !== 'teacher') throw forbidden("this is the teacher's: a seat token reads its own seat only (GET /api/seats/me)");
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const origin = foreignOrigin(req.headers);
    if (origin) throw forbidden(`origin ${origin} may not use this class server`);
    const caller = identify(req.headers, req.url ?? '/', method, lookup);
    if (caller.kind === 'anonymous' && bearerToken(req.headers) !== undefined) throw forbidden('this token is not one of this class: join again with a live code, or ask your teacher');

    if (method === 'POST' && url.pathname === '/api/join') {
      const address = req.socket.remoteAddress ?? '?';
      const wait = throttle.blockedFor(address, now().getTime());
      if (wait > 0) throw new HttpError(429, { message: `too many wrong join codes from ${address}: try again in ${Math.ceil(wait / 60_000)} min`, message_zh: `来自 ${address} 的错误加入码太多：请 ${Math.ceil(wait / 60_000)} 分钟后再试` });
      const body = parseJoinRequest(await readJson(req));
      const code = store.code(body.code);
      if (!code || code.className !== className) {
        throttle.fail(address, now().getTime());
        throw new HttpError(403, { reason: 'unknown-code', message: joinRefusalMessage({ reason: 'unknown-code' }, 'en'), message_zh: joinRefusalMessage({ reason: 'unknown-code' }, 'zh') });
      }
      try {
        if (body.hosted && !options.hosted) throw new HttpError(409, { reason: 'not-hosted', message: `class "${className}" has no hosted seats: join with your own boxlab (boxlab class join)`, message_zh: `课堂 "${className}" 没有托管座位：请用自己的 boxlab 加入（boxlab class join）` });
        const { seat, token, cls } = store.join(body.code, body.name);
        log(`${seat.name} joined (seat ${seat.id})`);
        const hosted = body.hosted && options.hosted ? await options.hosted.join(seat.id) : undefined;
        if (hosted) log(`${seat.name} has sandbox ${hosted.vm} (${hosted.warm ? 'from the warm pool' : 'made now: the pool was empty'})`);
        send(res, 201, { class: cls.name, labs: cls.labs.map((l) => l.id), seat: { id: seat.id, name: seat.name }, token, ...(hosted ? { lab: hosted.labUrl } : {}) });
        pushStatus();
        return;
      } catch (err) {
        if (!(err instanceof JoinRefused)) throw err;
        throw new HttpError(403, { reason: err.refusal.reason, message: joinRefusalMessage(err.refusal, 'en'), message_zh: joinRefusalMessage(err.refusal, 'zh') });
      }
    }

    if (method === 'POST' && url.pathname === '/api/reports') {
      if (caller.kind === 'anonymous') throw unauthorized();
      if (caller.kind !== 'student') throw forbidden('reports come from a seat: the teacher token cannot report');
      const cls = store.get(className);
      if (cls.closedAt) throw closedClass();
      const r = parseReportRequest(await readJson(req));
      const lab = cls.labs.find((l) => l.id === r.labId);
      if (!lab) throw new HttpError(422, { reason: 'not-in-class', message: `lab "${r.labId}" is not one of class "${className}" (${cls.labs.map((l) => l.id).join(', ')}): not recorded`, message_zh: `实验 "${r.labId}" 不在课堂 "${className}" 里，没有记录` });
      if (lab.steps[r.stepIndex] !== r.stepId) throw invalidArgument(`lab "${r.labId}" has no step ${r.stepIndex + 1} "${r.stepId}" in class "${className}"`);
      if (r.kind === 'check') {
        const { kind: _k, id, ...report } = r;
        const saved = store.recordCheck(caller.seatId, id, report);
        send(res, 201, { attempt: saved.attempt });
      } else {
        const { kind: _k, id: _id, ...report } = r;
        const saved = store.recordHints(caller.seatId, report);
        send(res, 201, { shown: saved.shown });
      }
      pushStatus();
      return;
    }

    if (method === 'POST' && url.pathname === '/api/seats/me/heartbeat') {
      // the student's agent (`boxlab class agent`): it is alive, its sandbox answers or not; the answer
      // carries what the teacher sent since (broadcasts, resets), so the agent needs no other channel
      const seatId = needSeat(caller);
      const cls = store.get(className);
      if (cls.closedAt) throw closedClass();
      const body = parseHeartbeatRequest(await readJson(req));
      const t = now();
      const deadAfterMs = store.deadAfterMs(className);
      const { before, now: hb } = store.heartbeat(seatId, body.sandbox);
      const commands = store.claimCommands(seatId);
      // four beats fit in the dead-after time, so one lost beat never shows a seat dead
      send(res, 200, { heartbeatMs: options.heartbeatMs ?? Math.max(500, Math.min(HEARTBEAT_MS, Math.floor(deadAfterMs / 4))), deadAfterMs, messages: store.broadcasts(className, body.after), commands });
      // the grid changes only when the seat's life does: first heard, back from the dead, sandbox up/down, a reset under way
      if (!before || deadness(before, t, deadAfterMs) !== undefined || before.sandbox !== hb.sandbox || commands.length > 0) {
        if (before && deadness(before, t, deadAfterMs)) log(`${store.seat(seatId)?.name ?? seatId} is back (sandbox ${hb.sandbox})`);
        pushStatus();
      }
      return;
    }
    const commandPath = /^\/api\/seats\/me\/commands\/([0-9a-f]{1,32})$/.exec(url.pathname);
    if (method === 'POST' && commandPath) {
      const seatId = needSeat(caller);
      const body = parseCommandResult(await readJson(req));
      const c = store.finishCommand(seatId, commandPath[1], body.ok, body.message);
      log(`${store.seat(seatId)?.name ?? seatId}: reset of ${c.labId} to step ${c.step} ${c.state}: ${c.message ?? ''}`);
      send(res, 200, c);
      pushStatus();
      return;
    }
    if (url.pathname === '/api/broadcasts') {
      if (method === 'POST') {
        needTeacher(caller);
        const b = store.broadcast(className, parseBroadcastRequest(await readJson(req)).text);
        log(`message to the class: ${b.text}`);
        send(res, 201, b);
        pushStatus();
        return;
      }
      if (method === 'GET') {
        if (caller.kind === 'anonymous') throw unauthorized();
        const after = Number(url.searchParams.get('after') ?? '0');
        send(res, 200, { broadcasts: store.broadcasts(className, Number.isInteger(after) && after >= 0 ? after : 0) });
        return;
      }
    }
    const resetPath = /^\/api\/seats\/([0-9a-f]{1,32})\/reset$/.exec(url.pathname);
    if (method === 'POST' && resetPath) {
      needTeacher(caller);
      if (store.get(className).closedAt) throw closedClass();
      const seat = store.seat(resetPath[1]);
      if (!seat || seat.className !== className) throw notFound(`seat ${resetPath[1]} not found in class "${className}"`);
      if (options.hosted?.has(seat.id)) {
        // a hosted seat's sandbox is the class server's: it is reset here, not by an agent
        const r = await options.hosted.reset(seat.id);
        log(`${seat.name}'s hosted sandbox is back at the lab's start (${r.inPlace ? `snapshot restored in ${r.vm}` : `a fresh sandbox ${r.vm} from the pool`})`);
        send(res, 201, { seatId: seat.id, state: 'done', hosted: r });
        pushStatus();
        return;
      }
      const { command: c } = requestSeatReset(store, className, seat.id, parseResetRequest(await readJson(req)).step, now());
      log(`reset of ${seat.name}'s ${c.labId} to step ${c.step} asked: their boxlab carries it out at its next heartbeat`);
      send(res, 201, c);
      pushStatus();
      return;
    }

    if (method === 'GET' && url.pathname === '/api/seats/me') {
      if (caller.kind !== 'student') throw caller.kind === 'anonymous' ? unauthorized() : invalidArgument('the teacher has no seat: GET /api/seats/<id>');
      store.touch(caller.seatId);
      send(res, 200, seatView(caller.seatId));
      return;
    }
    const seatPath = /^\/api\/seats\/([0-9a-f]{1,32})$/.exec(url.pathname);
    if (method === 'GET' && seatPath) {
      if (caller.kind === 'anonymous') throw unauthorized();
      if (!mayReadSeat(caller, seatPath[1])) throw forbidden("a seat token reads its own seat only: another student's progress is theirs and the teacher's");
      send(res, 200, seatView(seatPath[1]));
      return;
    }
    if (method === 'GET' && url.pathname === '/teacher') {
      needTeacher(caller);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...TEACHER_PAGE_HEADERS });
      res.end(teacherHtml(options.lang ?? 'en'));
      return;
    }
    if (method === 'GET' && TEACHER_ASSETS[url.pathname]) {
      const body = await fs.readFile(path.join(options.staticDir ?? DEFAULT_STATIC_DIR, url.pathname.slice(1))).catch(() => undefined);
      if (!body) throw notFound(`${url.pathname} is missing: build the page with npm run build:web`);
      res.writeHead(200, { 'content-type': TEACHER_ASSETS[url.pathname], 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      res.end(body);
      return;
    }
    if (method === 'GET' && (url.pathname === '/join' || JOIN_ASSETS[url.pathname])) {
      // the student's join page (a browser, no boxlab): no class data in it, served to anyone
      const js = url.pathname !== '/join';
      res.writeHead(200, { 'content-type': js ? JOIN_ASSETS[url.pathname] : 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...TEACHER_PAGE_HEADERS });
      res.end(js ? JOIN_SCRIPT : joinHtml(options.lang ?? 'en'));
      return;
    }
    if (method === 'GET' && url.pathname === '/api/status') {
      needTeacher(caller);
      send(res, 200, statusOf(store, className, now()));
      return;
    }
    if (method === 'GET' && url.pathname === '/api/export') {
      needTeacher(caller);
      const format = (url.searchParams.get('format') ?? 'json') as ExportFormat;
      if (!EXPORT_FORMATS.includes(format)) throw invalidArgument(`format ${format} is not one of ${EXPORT_FORMATS.join(', ')}`);
      const per = (url.searchParams.get('per') ?? 'step') as ExportShape;
      if (!EXPORT_SHAPES.includes(per)) throw invalidArgument(`per ${per} is not one of ${EXPORT_SHAPES.join(', ')}`);
      send(res, 200, exportClass(store, className, format, per), format === 'csv' ? 'text/csv' : 'application/json');
      return;
    }
    if (method === 'GET' && url.pathname === '/api/teacher/terminals') {
      // who can be watched: each seat's boxlab connected or not, its terminals, the frames it sent
      needTeacher(caller);
      send(res, 200, { record: options.record ?? false, seats: relay.stats() });
      return;
    }
    const replayPath = /^\/api\/teacher\/replay\/([0-9a-f]{1,32})$/.exec(url.pathname);
    if (method === 'GET' && replayPath) {
      needTeacher(caller);
      const seat = store.seat(replayPath[1]);
      if (!seat || seat.className !== className) throw notFound(`seat ${replayPath[1]} not found in class "${className}"`);
      relay.flush();
      send(res, 200, { seat: { id: seat.id, name: seat.name }, record: options.record ?? false, ...replay.replay(seat.id, store.results(className, seat.id)) });
      return;
    }
    if (method === 'GET' && url.pathname === '/api/class') {
      // what a student sees before joining: the class's name, its labs and whether it takes students
      const cls = store.get(className);
      send(res, 200, { class: cls.name, labs: cls.labs.map((l) => l.id), open: !cls.closedAt });
      return;
    }
    throw notFound(`${method} ${url.pathname} is not an endpoint of the class server`, { suggestions: ['docs/classroom.md lists them'] });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return send(res, err.status, err.body);
      const a = errorAnswer(err);
      // a precondition here (a closed class) is 409, as the engine's
      send(res, err instanceof AppError && err.code === 'FAILED_PRECONDITION' ? 409 : a.status, a.body);
    });
  });

  // nothing happening is news too: idle times grow and a student idle for long turns stuck
  const refresh = setInterval(() => {
    try {
      pushStatus();
    } catch (err) {
      log(`the teacher's page was not refreshed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, Math.min(options.refreshMs ?? 30_000, Math.max(1000, store.deadAfterMs(className) / 2)));
  refresh.unref();
  // a `boxlab class broadcast` or `class reset` in another terminal commits to classroom.db: push the grid at once
  let dataVersion = store.dataVersion();
  const cliChanges = setInterval(() => {
    const v = store.dataVersion();
    if (v === dataVersion) return;
    dataVersion = v;
    pushStatus();
  }, 500);
  cliChanges.unref();

  // hosted seats: a sandbox that stops answering shows red and is replaced; the pool is topped up
  let hostedCheck: NodeJS.Timeout | undefined;
  if (options.hosted) {
    const hosted = options.hosted;
    hosted.changed = pushStatus;
    let checking = false;
    hostedCheck = setInterval(() => {
      if (checking) return;
      checking = true;
      hosted.check().catch((err: unknown) => log(`the hosted seats were not checked: ${err instanceof Error ? err.message : String(err)}`)).finally(() => {
        checking = false;
        pushStatus();
      });
    }, options.hostedCheckMs ?? Math.min(10_000, Math.max(500, store.deadAfterMs(className) / 4)));
    hostedCheck.unref();
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  // a session's scrollback comes in one frame when watching starts
  const terminals = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Forbidden'}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}\n`);
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const watchSeat = /^\/api\/teacher\/watch\/([0-9a-f]{1,32})$/.exec(url.pathname)?.[1];
    if (url.pathname !== '/api/teacher/events' && url.pathname !== '/api/seats/me/terminal' && !watchSeat) return refuse(404, 'the WebSockets are /api/teacher/events, /api/teacher/watch/<seat> and /api/seats/me/terminal');
    const origin = foreignOrigin(req.headers);
    if (origin) return refuse(403, `origin ${origin} may not use this class server`);
    const caller = identify(req.headers, req.url ?? '/', 'GET', lookup);
    if (url.pathname !== '/api/teacher/events' && caller.kind === 'anonymous' && bearerToken(req.headers) !== undefined) return refuse(403, 'this token is not one of this class: join again with a live code, or ask your teacher');
    if (url.pathname === '/api/seats/me/terminal') {
      // the student's `boxlab serve` mirrors its terminals here (ADR 0020): a seat token, its own seat only
      if (caller.kind === 'anonymous') return refuse(401, "the terminal socket needs the seat's token");
      if (caller.kind !== 'student') return refuse(403, 'the terminal socket is a seat\'s: the teacher token has no terminal');
      return terminals.handleUpgrade(req, socket, head, (ws) => relay.attachSeat(caller.seatId, ws));
    }
    if (watchSeat) {
      if (caller.kind === 'anonymous') return refuse(401, "watching a student's terminal needs the teacher token");
      if (caller.kind !== 'teacher') return refuse(403, "a seat token cannot watch a terminal: it is the teacher's");
      const seat = store.seat(watchSeat);
      if (!seat || seat.className !== className) return refuse(404, `seat ${watchSeat} not found in class "${className}"`);
      return terminals.handleUpgrade(req, socket, head, (ws) => relay.attachWatcher(seat.id, ws));
    }
    if (caller.kind === 'anonymous') return refuse(401, 'the teacher events need the teacher token');
    if (caller.kind !== 'teacher') return refuse(403, "a seat token cannot watch the class: the events are the teacher's");
    wss.handleUpgrade(req, socket, head, (ws) => {
      watchers.add(ws);
      ws.on('close', () => watchers.delete(ws));
      ws.send(JSON.stringify({ type: 'status', status: statusOf(store, className, now()) }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${port}`;
  return {
    host: options.host,
    port,
    url,
    teacherUrl: `${url}/teacher?token=${encodeURIComponent(store.teacherToken(className))}`,
    close: async () => {
      clearInterval(refresh);
      clearInterval(cliChanges);
      relay.close();
      terminals.close();
      clearTimeout(pushTimer);
      if (hostedCheck) clearInterval(hostedCheck);
      await options.hosted?.close();
      for (const ws of watchers) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

