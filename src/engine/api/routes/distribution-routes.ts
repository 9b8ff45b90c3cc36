// Registry endpoints of the Docker API: `docker pull` (POST /images/create?fromImage=), `docker push`
// (POST /images/{name}/push), `docker login` (POST /auth). Credentials arrive per request in the
// X-Registry-Auth header (base64 JSON), as with dockerd. A pull answers 404 before any output when the
// name or tag is unknown (that is how `docker run` knows to print "Unable to find image"); errors after
// the stream started are written as a JSON error message the CLI prints.
import path from 'node:path';
import { messageOf } from '../../../core/errors.js';
import { enginePaths } from '../../../core/paths.js';
import { RegistryDistribution, type Distribution } from '../../distribution/distribution-service.js';
import { mirrorsFromEnv } from '../../distribution/engine-registry-config.js';
import { errorMessage, type JsonMessage } from '../../distribution/progress-message.js';
import { credentialsFromAuthConfig, decodeRegistryAuth } from '../../distribution/registry-credentials.js';
import { LocalImageStore } from '../../images/local-image-store.js';
import type { ApiServices } from '../api-services.js';
import type { Router } from '../router.js';
import { withDefaultTag } from './image-routes.js';
import { answerImport, isImport } from './image-import.js';

/** the services' distribution, or one built over a LocalImageStore with the engine's registry config */
export function distributionFor(services: ApiServices): Distribution | undefined {
  if (services.distribution) return services.distribution;
  if (!(services.images instanceof LocalImageStore)) return undefined;
  return new RegistryDistribution({
    mirrors: mirrorsFromEnv(),
    images: services.images,
    content: services.images.content,
    tmpDir: path.join(enginePaths(services.facts.root).tmp, 'pull'),
  });
}

export function distributionRoutes(router: Router, services: ApiServices): void {
  const distribution = distributionFor(services);
  if (!distribution) return; // fakes without a registry client: image-routes answers pulls from local images
  const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

  router.post('/images/create', async (ctx) => {
    if (isImport(ctx)) return answerImport(ctx, services); // docker import, not a pull
    const fromImage = ctx.query.string('fromImage') ?? '';
    const ref = withDefaultTag(fromImage, ctx.query.string('tag'));
    const credentials = decodeRegistryAuth(header(ctx.headers['x-registry-auth']));
    const pull = await distribution.resolvePull(ref, credentials);
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    const write = (m: JsonMessage) => {
      if (!out.writableEnded) out.write(JSON.stringify(m) + '\n');
    };
    try {
      await pull.run(write);
      services.events.publish('image', 'pull', ref);
    } catch (err) {
      write(errorMessage(messageOf(err)));
    }
    out.end();
  });

  router.post('/images/*name/push', async (ctx) => {
    const tag = ctx.query.string('tag');
    const ref = tag ? `${ctx.params.name}:${tag}` : ctx.params.name;
    const credentials = decodeRegistryAuth(header(ctx.headers['x-registry-auth']));
    try {
      await services.images.resolve(withDefaultTag(ctx.params.name, tag));
    } catch {
      ctx.reply.json(404, { message: `An image does not exist locally with the tag: ${ctx.params.name}` });
      return;
    }
    const out = ctx.reply.stream(200, { 'Content-Type': 'application/json' });
    const write = (m: JsonMessage) => {
      if (!out.writableEnded) out.write(JSON.stringify(m) + '\n');
    };
    try {
      await distribution.push(ref, credentials, write);
      services.events.publish('image', 'push', ref);
    } catch (err) {
      write(errorMessage(messageOf(err)));
    }
    out.end();
  });

  router.post('/auth', async (ctx) => {
    const credentials = credentialsFromAuthConfig(await ctx.readJson<unknown>());
    ctx.reply.json(200, { ...(await distribution.login(credentials)), IdentityToken: '' });
  });
}
