// `docker import`: POST /images/create with ?fromSrc= instead of ?fromImage= (the same endpoint as a
// pull, as in dockerd). The tar is the request body; the answer is one JSON status line with the new
// image's id, which the CLI prints. Every refusal comes before the first byte of the answer, as an HTTP
// error the CLI prints after "Error response from daemon:". The work is builder/import-image.ts's.
import { enginePaths } from '../../../core/paths.js';
import { importImage } from '../../builder/import-image.js';
import type { BuildImageStore } from '../../builder/image-commit.js';
import type { Tracer } from '../../trace/tracer.js';
import type { ApiServices } from '../api-services.js';
import type { RequestContext } from '../request-context.js';

/** an import, not a pull: the query names a source */
export function isImport(ctx: RequestContext): boolean {
  return ctx.query.has('fromSrc');
}

export async function answerImport(ctx: RequestContext, services: ApiServices): Promise<void> {
  const trace = services.trace as unknown as Partial<Tracer>;
  const image = await importImage(
    { paths: enginePaths(services.facts.root), images: services.images as BuildImageStore, tracer: typeof trace.emit === 'function' ? (trace as Tracer) : undefined },
    ctx.body,
    {
      source: ctx.query.string('fromSrc') ?? '-',
      repo: ctx.query.string('repo') || undefined,
      tag: ctx.query.string('tag') || undefined,
      message: ctx.query.string('message') || undefined,
      changes: ctx.query.all('changes').flatMap((c) => c.split('\n')),
    },
  );
  services.events.publish('image', 'import', image.id);
  const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
  out.end(JSON.stringify({ status: image.id }) + '\r\n');
}
