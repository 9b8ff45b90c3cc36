// Build endpoints: POST /build (`docker build` with the classic builder: the body is the context as a
// tar, the answer a stream of JSON messages the CLI prints), POST /build/prune (`docker builder prune`,
// also part of `docker system prune`) and POST /commit (`docker commit`).
// The builder lives in src/engine/builder; this file only turns the query into options.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument, messageOf } from '../../../core/errors.js';
import { enginePaths } from '../../../core/paths.js';
import type { ContainerConfig } from '../../docker-model.js';
import { extractContext } from '../../builder/build-context.js';
import type { BuildMessage, BuildOptions } from '../../builder/build-options.js';
import { Builder, BuildError } from '../../builder/builder.js';
import { pruneBuildCache } from '../../builder/build-prune.js';
import { commitContainer } from '../../builder/commit-container.js';
import type { BuildImageStore } from '../../builder/image-commit.js';
import type { Tracer } from '../../trace/tracer.js';
import type { ApiServices } from '../api-services.js';
import type { Query } from '../query.js';
import type { Router } from '../router.js';
import { decodeBody, map, string, type Decoder } from '../schemas/go-json.js';

/** a JSON query parameter (buildargs, labels), decoded as dockerd decodes it, with Go's words for a wrong type */
function jsonQuery<T>(query: Query, name: string, what: string, decode: Decoder<T | undefined>, goType: string, fallback: T): T {
  const raw = query.string(name);
  if (raw === undefined || raw === '') return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw invalidArgument(`query parameter ${name} is not valid JSON: ${messageOf(err)}`);
  }
  try {
    return decodeBody(value, decode, goType) ?? fallback;
  } catch (err) {
    throw invalidArgument(`error reading ${what}: ${messageOf(err)}`, { cause: err });
  }
}

/** --build-arg NAME without a value arrives as null (take it from the environment): Go's *string keeps it */
const argValue: Decoder<string | null | undefined> = (value, where) => (value === null ? null : string(value, where));

/** the OS names containerd's platform parser knows; a bare architecture means this host's OS (linux) */
const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'illumos', 'ios', 'js', 'linux', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasi', 'windows']);

/**
 * --platform (os[/arch[/variant]]): boxlabd builds linux images for this host only. dockerd 20.10's classic
 * builder refuses an OS it cannot run with "operating system is not supported" before it reads the context
 * (`docker build --platform wasi/wasm` does); it used to be ignored here, building linux/amd64 in silence.
 */
function checkBuildPlatform(platform: string | undefined): void {
  if (!platform) return;
  const first = platform.split('/')[0].toLowerCase();
  if (!platform.includes('/') && !KNOWN_OS.has(first)) return; // a bare architecture: linux/<arch>
  if (first !== 'linux') throw invalidArgument('operating system is not supported');
}

/** the POST /build query as builder options */
export function buildOptionsFromQuery(query: Query): BuildOptions {
  checkBuildPlatform(query.string('platform'));
  return {
    tags: query.all('t').filter((t) => t !== ''),
    dockerfile: query.string('dockerfile') || 'Dockerfile',
    buildArgs: jsonQuery<Record<string, string | null>>(query, 'buildargs', 'build args', map(argValue, 'map[string]*string'), 'map[string]*string', {}),
    target: query.string('target') || undefined,
    noCache: query.bool('nocache'),
    labels: jsonQuery<Record<string, string>>(query, 'labels', 'labels', map(string, 'map[string]string'), 'map[string]string', {}),
    quiet: query.bool('q'),
    // the API's defaults: rm=true, forcerm=false (the CLI sends both)
    rm: query.bool('rm', true),
    forceRm: query.bool('forcerm'),
    pull: query.bool('pull'),
  };
}

/** the engine's FileTracer is the trace source; it can also record */
function tracerOf(services: ApiServices): Tracer | undefined {
  const t = services.trace as unknown as Partial<Tracer>;
  return typeof t.emit === 'function' ? (t as Tracer) : undefined;
}

export function buildRoutes(router: Router, services: ApiServices): void {
  const paths = enginePaths(services.facts.root);
  const images = services.images as BuildImageStore;
  const tracer = tracerOf(services);
  const deps = { paths, images, containers: services.containers, tracer };

  router.post('/build', async (ctx) => {
    const options = buildOptionsFromQuery(ctx.query);
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    const write = (m: BuildMessage) => {
      if (!out.writableEnded) out.write(JSON.stringify(m) + '\r\n');
    };
    const dir = path.join(paths.tmp, `context-${randomBytes(6).toString('hex')}`);
    try {
      const context = await extractContext(ctx.body, dir);
      const id = await new Builder(deps).build(context, options, write);
      services.events.publish('image', 'build', id);
      for (const t of options.tags) services.events.publish('image', 'tag', id, { name: t });
      if (options.quiet) write({ stream: `${id}\n` });
    } catch (err) {
      // the answer has started: Docker reports build errors as a JSON message; its code is the CLI's exit code
      const code = err instanceof BuildError ? err.exitCode : 1;
      write({ errorDetail: { message: messageOf(err), code }, error: messageOf(err) });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      out.end();
    }
  });

  router.post('/build/prune', async (ctx) => {
    const result = await pruneBuildCache({ ...deps, isInUse: (id) => services.containers.imageInUse(id) });
    ctx.reply.json(200, result);
  });

  router.post('/commit', async (ctx) => {
    const container = ctx.query.string('container');
    if (!container) throw invalidArgument('commit needs a container: POST /commit?container=<name or id>');
    const repo = ctx.query.string('repo') ?? '';
    const tag = ctx.query.string('tag') ?? '';
    const body = await ctx.readJson<ContainerConfig>();
    const id = await commitContainer(deps, {
      container,
      reference: repo ? (tag ? `${repo}:${tag}` : repo) : undefined,
      comment: ctx.query.string('comment') || undefined,
      author: ctx.query.string('author') || undefined,
      changes: ctx.query.all('changes').flatMap((c) => c.split('\n')),
      config: body,
    });
    services.events.publish('container', 'commit', container);
    ctx.reply.json(201, { Id: id });
  });
}
