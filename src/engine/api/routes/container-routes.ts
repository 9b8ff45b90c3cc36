// Container endpoints: one ContainerService call per route. The API's own work is Docker's protocol:
// status codes (201 create, 204 done, 304 nothing to do), streams (logs, stats, wait) and hijacked
// connections for attach.
import { pipeline } from 'node:stream/promises';
import { invalidArgument } from '../../../core/errors.js';
import type { LogOptions, WaitCondition } from '../../containers/container-service.js';
import { assertLogReadable } from '../../containers/log-config.js';
import type { ApiServices } from '../api-services.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../detach-keys.js';
import type { RequestContext } from '../request-context.js';
import { parsePruneFilter } from '../prune-filters.js';
import { parseContainerCreate } from '../schemas/container-create-schema.js';
import { parseContainerUpdate } from '../schemas/container-update-schema.js';
import type { Router } from '../router.js';
import { bridgeStdio } from '../stdio-bridge.js';
import { encodeFrame } from '../stream-framing.js';

export const RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';
const WAIT_CONDITIONS: readonly WaitCondition[] = ['not-running', 'next-exit', 'removed'];

interface InspectState {
  Name?: string;
  Config?: { Tty?: boolean; Image?: string };
  HostConfig?: { LogConfig?: { Type?: string } };
  State?: { Running?: boolean; Paused?: boolean; Status?: string };
}

export function containerRoutes(router: Router, services: ApiServices): void {
  // docker events: the container service notifies create, start, die, stop, ... itself (api/docker-events.ts)
  const { containers } = services;

  const inspectOf = async (ref: string) => (await containers.inspect(ref)) as InspectState;

  router.post('/containers/create', async (ctx) => {
    const body = parseContainerCreate(await ctx.readJson<unknown>(), services.facts.host);
    const created = await containers.create(body, ctx.query.string('name') || undefined);
    ctx.reply.json(201, { Id: created.Id, Warnings: created.Warnings ?? [] });
  });

  router.get('/containers/json', async (ctx) => {
    const list = await containers.list({
      all: ctx.query.bool('all'),
      limit: ctx.query.int('limit'),
      size: ctx.query.bool('size'),
      filters: ctx.query.filters(),
    });
    ctx.reply.json(200, list);
  });

  router.post('/containers/prune', async (ctx) => {
    ctx.reply.json(200, await containers.prune(parsePruneFilter('container', ctx.query.filters())));
  });

  router.get('/containers/:id/json', async (ctx) => ctx.reply.json(200, await containers.inspect(ctx.params.id)));

  router.get('/containers/:id/top', async (ctx) => {
    ctx.reply.json(200, await containers.top(ctx.params.id, ctx.query.string('ps_args') || undefined));
  });

  router.get('/containers/:id/changes', async (ctx) => {
    const changes = await containers.changes(ctx.params.id);
    ctx.reply.json(200, changes.length > 0 ? changes : null);
  });

  // each action resolves the id first: a rename changes what the name points at
  router.post('/containers/:id/start', async (ctx) => {
    const id = await containers.resolveId(ctx.params.id);
    const info = await inspectOf(id);
    // Docker answers 304 when there is nothing to do; the CLI prints the name as for a start. A paused
    // container is Running too, but Docker refuses to start it (the service says so, with its words)
    if (info.State?.Running && !info.State?.Paused) return ctx.reply.empty(304);
    await containers.start(id);
    ctx.reply.empty(204);
  });

  router.post('/containers/:id/stop', async (ctx) => {
    const id = await containers.resolveId(ctx.params.id);
    const info = await inspectOf(id);
    if (!info.State?.Running) return ctx.reply.empty(304);
    await containers.stop(id, ctx.query.int('t'));
    ctx.reply.empty(204);
  });

  router.post('/containers/:id/restart', async (ctx) => {
    const id = await containers.resolveId(ctx.params.id);
    await containers.restart(id, ctx.query.int('t'));
    ctx.reply.empty(204);
  });

  router.post('/containers/:id/kill', async (ctx) => {
    const signal = ctx.query.string('signal') || undefined;
    const id = await containers.resolveId(ctx.params.id);
    await containers.kill(id, signal);
    ctx.reply.empty(204);
  });

  router.post('/containers/:id/pause', async (ctx) => {
    const id = await containers.resolveId(ctx.params.id);
    await containers.pause(id);
    ctx.reply.empty(204);
  });

  router.post('/containers/:id/unpause', async (ctx) => {
    const id = await containers.resolveId(ctx.params.id);
    await containers.unpause(id);
    ctx.reply.empty(204);
  });

  router.post('/containers/:id/rename', async (ctx) => {
    const name = ctx.query.string('name');
    if (!name) throw invalidArgument('new name is missing: pass ?name=<new name>');
    const id = await containers.resolveId(ctx.params.id);
    await containers.rename(id, name);
    ctx.reply.empty(204);
  });

  // docker update: the body's limits are checked before the container is looked up, as dockerd does
  router.post('/containers/:id/update', async (ctx) => {
    const { update, warnings } = parseContainerUpdate(await ctx.readJson<unknown>(), services.facts.host);
    const id = await containers.resolveId(ctx.params.id);
    await containers.update(id, update);
    // dockerd: null when there is nothing to warn about
    ctx.reply.json(200, { Warnings: warnings.length > 0 ? warnings : null });
  });

  router.post('/containers/:id/resize', async (ctx) => {
    await containers.resize(ctx.params.id, ctx.query.int('h') ?? 0, ctx.query.int('w') ?? 0);
    ctx.reply.empty(200);
  });

  router.delete('/containers/:id', async (ctx) => {
    await containers.remove(ctx.params.id, { force: ctx.query.bool('force'), volumes: ctx.query.bool('v') });
    ctx.reply.empty(204);
  });

  router.post('/containers/:id/wait', async (ctx) => {
    const condition = (ctx.query.string('condition') || 'not-running') as WaitCondition;
    if (!WAIT_CONDITIONS.includes(condition)) {
      throw invalidArgument(`invalid condition "${condition}": expected not-running, next-exit or removed`);
    }
    const id = await containers.resolveId(ctx.params.id);
    // headers go out at once: `docker run` waits for them before it starts the container
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    try {
      const result = await containers.wait(id, condition);
      out.end(JSON.stringify({ StatusCode: result.StatusCode, Error: result.Error ?? null }) + '\n');
    } catch (err) {
      out.end(JSON.stringify({ StatusCode: -1, Error: { Message: (err as Error).message } }) + '\n');
    }
  });

  router.post('/containers/:id/attach', async (ctx) => attach(ctx), { hijack: true });

  const attach = async (ctx: RequestContext) => {
    const id = await containers.resolveId(ctx.params.id);
    const tty = (await inspectOf(id)).Config?.Tty ?? false;
    const options = {
      stream: ctx.query.bool('stream'),
      logs: ctx.query.bool('logs'),
      stdin: ctx.query.bool('stdin'),
      stdout: ctx.query.bool('stdout'),
      stderr: ctx.query.bool('stderr'),
    };
    const detachKeys = parseDetachKeys(ctx.query.string('detachKeys') || DEFAULT_DETACH_KEYS);
    const session = await containers.attach(id, options);
    const { input, output } = ctx.reply.hijack(tty ? RAW_STREAM : MULTIPLEXED_STREAM);
    await bridgeStdio(session, input, output, { tty, stdin: options.stdin, detachKeys });
  };

  router.get('/containers/:id/logs', async (ctx) => {
    const id = await containers.resolveId(ctx.params.id);
    const info = await inspectOf(id);
    const tty = info.Config?.Tty ?? false;
    // before the 200: a container with --log-driver none has nothing to read
    assertLogReadable(info.HostConfig?.LogConfig?.Type);
    const options = logOptions(ctx);
    const out = ctx.reply.stream(200, { 'Content-Type': tty ? RAW_STREAM : MULTIPLEXED_STREAM });
    // `logs -f` of a quiet container waits for the next line indefinitely: when the client hangs up,
    // stop waiting at once instead of at the next line
    const closed = new Promise<'closed'>((resolve) => ctx.reply.onClose(() => resolve('closed')));
    const entries = containers.logs(id, options)[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([entries.next(), closed]);
      if (next === 'closed') {
        void entries.return?.();
        break;
      }
      if (next.done) break;
      const entry = next.value;
      const line = Buffer.from(options.timestamps ? `${entry.time} ${entry.log}` : entry.log);
      out.write(tty ? line : encodeFrame(entry.stream, line));
    }
    out.end();
  });

  router.get('/containers/:id/stats', async (ctx) => {
    const id = await containers.resolveId(ctx.params.id);
    const streaming = ctx.query.bool('stream', true) && !ctx.query.bool('one-shot');
    if (!streaming) return ctx.reply.json(200, await containers.stats(id));
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    let closed = false;
    ctx.reply.onClose(() => {
      closed = true;
    });
    while (!closed) {
      let sample: Record<string, unknown>;
      try {
        sample = await containers.stats(id);
      } catch {
        break; // the container is gone
      }
      if (closed) break;
      out.write(JSON.stringify(sample) + '\n');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    out.end();
  });

  // docker export: the tar streams as it is written; an error after the first byte cuts the response
  router.get('/containers/:id/export', async (ctx) => {
    const tar = await containers.exportRootfs(ctx.params.id);
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/x-tar' });
    await pipeline(tar, out).catch(() => out.destroy());
  });

  const archivePath = (ctx: RequestContext) => {
    const p = ctx.query.string('path');
    if (!p) throw invalidArgument('path is missing: pass ?path=<path in the container>');
    return p;
  };
  const statHeader = (stat: Record<string, unknown>) => Buffer.from(JSON.stringify(stat)).toString('base64');

  router.head('/containers/:id/archive', async (ctx) => {
    const stat = await containers.statPath(ctx.params.id, archivePath(ctx));
    ctx.reply.empty(200, { 'X-Docker-Container-Path-Stat': statHeader(stat), 'Content-Type': 'application/x-tar' });
  });
  router.get('/containers/:id/archive', async (ctx) => {
    const { stat, tar } = await containers.getArchive(ctx.params.id, archivePath(ctx));
    const out = ctx.reply.stream(200, { 'X-Docker-Container-Path-Stat': statHeader(stat), 'Content-Type': 'application/x-tar' });
    // pipeline also sees an error the tar stream had before this line: the client gets a cut response
    await pipeline(tar, out).catch(() => out.destroy());
  });
  router.put('/containers/:id/archive', async (ctx) => {
    await containers.putArchive(ctx.params.id, archivePath(ctx), ctx.body);
    ctx.reply.empty(200);
  });
}

export function logOptions(ctx: RequestContext): LogOptions {
  const stdout = ctx.query.bool('stdout');
  const stderr = ctx.query.bool('stderr');
  if (!stdout && !stderr) throw invalidArgument('you must choose at least one stream: stdout=1 or stderr=1');
  const tailRaw = ctx.query.string('tail');
  let tail: number | 'all' = 'all';
  if (tailRaw !== undefined && tailRaw !== '' && tailRaw !== 'all') {
    const n = Number(tailRaw);
    if (!Number.isInteger(n)) throw invalidArgument(`invalid tail "${tailRaw}": expected a number of lines or all`);
    tail = n < 0 ? 'all' : n;
  }
  return {
    follow: ctx.query.bool('follow'),
    stdout,
    stderr,
    since: ctx.query.seconds('since') ?? 0,
    until: ctx.query.seconds('until') ?? 0,
    timestamps: ctx.query.bool('timestamps'),
    tail,
  };
}
