// boxlab's own endpoints (not Docker's): the trace of what the engine did for a container or an image,
// for `boxlab explain` and the web page's "under the hood" panel.
import { invalidArgument, isAppError, notFound } from '../../../core/errors.js';
import type { ApiServices } from '../api-services.js';
import type { Router } from '../router.js';

export function traceRoutes(router: Router, services: ApiServices): void {
  router.get('/boxlab/trace', async (ctx) => {
    if (!ctx.query.bool('follow')) {
      throw invalidArgument('name a container or an image (/boxlab/trace/<name>), or follow live events with ?follow=1');
    }
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/x-ndjson' });
    const unsubscribe = services.trace.subscribe((event) => out.write(JSON.stringify(event) + '\n'));
    ctx.reply.onClose(() => {
      unsubscribe();
      out.end();
    });
  });

  router.get('/boxlab/trace/*ref', async (ctx) => {
    const objectId = await resolveTraceObject(services, ctx.params.ref);
    ctx.reply.json(200, await services.trace.read(objectId));
  });
}

/** a container (name, id or prefix) first, then an image reference, then a removed container still remembered */
export async function resolveTraceObject(services: ApiServices, ref: string): Promise<string> {
  try {
    return await services.containers.resolveId(ref);
  } catch (err) {
    if (!isAppError(err, 'NOT_FOUND')) throw err;
  }
  try {
    return (await services.images.resolve(ref)).id;
  } catch (err) {
    if (!isAppError(err, 'NOT_FOUND')) throw err;
  }
  const removed = await services.trace.findRemoved?.(ref);
  if (removed) return removed.id;
  throw notFound(`No such container or image: ${ref}`, { suggestions: ['list them with docker ps -a and docker images'] });
}
