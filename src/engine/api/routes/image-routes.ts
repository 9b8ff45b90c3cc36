// Image endpoints: list, inspect, history, tag, remove, load (`docker load`), save (`docker save`),
// prune, and create (pull), which boxlab answers from local images only in this version.
import { isAppError, messageOf } from '../../../core/errors.js';
import type { ApiServices } from '../api-services.js';
import type { Router } from '../router.js';
import { LIST_FILTERS, listImages, planPrune, validateFilters } from '../../images/image-filters.js';
import { imageHistory, imageInspect, imageSummary } from './image-shapes.js';
import { answerImport, isImport } from './image-import.js';
import type { ImageRecord } from '../../images/image-record.js';

/** "busybox" -> "busybox:latest"; a digest or an explicit tag is kept */
export function withDefaultTag(name: string, tag?: string): string {
  if (tag) return tag.startsWith('sha256:') ? `${name}@${tag}` : `${name}:${tag}`;
  const lastSlash = name.lastIndexOf('/');
  return name.includes('@') || name.slice(lastSlash + 1).includes(':') ? name : `${name}:latest`;
}

/** Docker's message when a repository cannot be pulled (what `docker run nosuchimage` prints) */
export function pullDeniedMessage(fromImage: string): string {
  const repo = fromImage.replace(/[:@].*$/, '').replace(/^docker\.io\//, '').replace(/^library\//, '');
  return `pull access denied for ${repo}, repository does not exist or may require 'docker login'`;
}

export function imageRoutes(router: Router, services: ApiServices): void {
  const { images, containers } = services;

  router.get('/images/json', async (ctx) => {
    const filters = ctx.query.filters();
    validateFilters(filters, LIST_FILTERS);
    // before=/since= name an image; dockerd compares creation times with it (the last value counts)
    const before = filters.before?.length ? await images.resolve(filters.before.at(-1)!) : undefined;
    const since = filters.since?.length ? await images.resolve(filters.since.at(-1)!) : undefined;
    const rows = listImages(await images.list(), { all: ctx.query.bool('all'), filters, before, since });
    ctx.reply.json(200, rows.map((row) => imageSummary(row.image, row)));
  });

  router.post('/images/load', async (ctx) => {
    const quiet = ctx.query.bool('quiet');
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    try {
      const names = await images.load(ctx.body, (message) => {
        if (!quiet) out.write(JSON.stringify(message) + '\n');
      });
      for (const name of names) {
        const line = name.startsWith('sha256:') ? `Loaded image ID: ${name}\n` : `Loaded image: ${name}\n`;
        out.write(JSON.stringify({ stream: line }) + '\n');
        services.events.publish('image', 'load', name);
      }
    } catch (err) {
      // the answer already started: Docker reports late errors as a JSON message the CLI prints
      out.write(JSON.stringify({ errorDetail: { message: messageOf(err) }, error: messageOf(err) }) + '\n');
    }
    out.end();
  });

  const save = async (refs: string[], ctx: Parameters<Parameters<Router['get']>[1]>[0]) => {
    for (const ref of refs) await images.resolve(ref); // 404 before the tar starts
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/x-tar' });
    await images.save(refs, out);
    if (!out.writableEnded) out.end();
  };
  router.get('/images/get', async (ctx) => save(ctx.query.all('names'), ctx));

  router.post('/images/create', async (ctx) => {
    if (isImport(ctx)) return answerImport(ctx, services); // docker import
    const fromImage = ctx.query.string('fromImage') ?? '';
    const ref = withDefaultTag(fromImage, ctx.query.string('tag'));
    let found = false;
    try {
      await images.resolve(ref);
      found = true;
    } catch (err) {
      if (!isAppError(err, 'NOT_FOUND')) throw err;
    }
    if (!found) {
      ctx.reply.json(404, { message: pullDeniedMessage(fromImage) });
      return;
    }
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    out.write(JSON.stringify({ status: `Status: Image is up to date for ${ref}` }) + '\n');
    out.end();
  });

  router.post('/images/prune', async (ctx) => {
    const records = await images.list();
    const plan = planPrune(records, ctx.query.filters(), Date.now());
    const layerBytes = new Map(records.flatMap((r) => r.layers.map((l) => [l.chainId, l.size] as const)));
    const deleted: Array<{ Untagged?: string; Deleted?: string }> = [];
    const isInUse = (id: string) => containers.imageInUse(id);
    // as dockerd: each by its names (or id), not forced, parents pruned; a conflict skips that image
    const removeQuietly = async (ref: string) => {
      try {
        deleted.push(...(await images.remove(ref, { isInUse })));
      } catch (err) {
        if (!isAppError(err, 'FAILED_PRECONDITION') && !isAppError(err, 'NOT_FOUND')) throw err;
      }
    };
    for (const target of plan.targets) {
      if (target.refs.length > 0) for (const ref of target.refs) await removeQuietly(ref);
      else await removeQuietly(target.image.id);
    }
    // reclaimed: the layers that went (each Deleted chain id), not whole images that share their base
    const reclaimed = deleted.reduce((sum, d) => sum + (d.Deleted ? (layerBytes.get(d.Deleted) ?? 0) : 0), 0);
    for (const d of deleted) if (d.Deleted && !layerBytes.has(d.Deleted)) services.events.publish('image', 'delete', d.Deleted);
    ctx.reply.json(200, { ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed });
  });

  // routes with an image name last: names may contain '/', so they match the rest of the path
  router.get('/images/*name/json', async (ctx) => {
    const image = await images.resolve(ctx.params.name);
    ctx.reply.json(200, imageInspect(image, images.layerDirs(image)));
  });
  router.get('/images/*name/history', async (ctx) => {
    const image = await images.resolve(ctx.params.name);
    ctx.reply.json(200, imageHistory(image, await storedAncestors(images, image)));
  });
  router.get('/images/*name/get', async (ctx) => save([ctx.params.name], ctx));
  router.post('/images/*name/tag', async (ctx) => {
    const repo = ctx.query.string('repo') ?? '';
    await images.tag(ctx.params.name, withDefaultTag(repo, ctx.query.string('tag')));
    services.events.publish('image', 'tag', ctx.params.name);
    ctx.reply.empty(201);
  });
  router.delete('/images/*name', async (ctx) => {
    const result = await images.remove(ctx.params.name, {
      force: ctx.query.bool('force'),
      noPrune: ctx.query.bool('noprune'),
      isInUse: (id) => containers.imageInUse(id),
    });
    services.events.publish('image', 'delete', ctx.params.name);
    ctx.reply.json(200, result);
  });
}

/** the image's parent, grandparent, ... while they are stored (a removed one ends the chain, as in dockerd) */
async function storedAncestors(images: { list(): Promise<ImageRecord[]> }, image: ImageRecord): Promise<ImageRecord[]> {
  const byId = new Map((await images.list()).map((known) => [known.id, known]));
  const chain: ImageRecord[] = [];
  for (let next = image.parent ? byId.get(image.parent) : undefined; next && !chain.includes(next); next = next.parent ? byId.get(next.parent) : undefined) {
    chain.push(next);
  }
  return chain;
}
