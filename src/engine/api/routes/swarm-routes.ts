// Swarm mode (SwarmKit: `docker swarm`, `docker service`, `docker node`, `docker secret`, `docker config`,
// `docker stack`) and managed plugins (`docker plugin`), answered as a dockerd that has never joined a
// swarm and has no plugin answers them: a swarm route is a 503 with dockerd's "This node is not a swarm
// manager..." (what `docker service ls` prints on a fresh Docker install), `docker swarm leave` says "This
// node is not part of a swarm", and `docker plugin ls` is an empty list. A 404 "page not found" would tell
// a student the command does not exist, which is wrong: it exists and needs a swarm. boxlabd cannot make
// one (`swarm init`/`join`): it says so instead of pretending (docs/differences-from-dockerd.md).
import { AppError, invalidArgument, notFound, unavailable } from '../../../core/errors.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';

/** dockerd's errNoManager (daemon/cluster/errors.go), word for word */
export const NOT_A_SWARM_MANAGER =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
/** dockerd's errNoSwarm */
export const NOT_IN_A_SWARM = 'This node is not part of a swarm';

const noManager = () => unavailable(NOT_A_SWARM_MANAGER);

/** the routes that need a swarm manager, as in dockerd's api/server/router/swarm/cluster.go */
const MANAGER_ROUTES: ReadonlyArray<readonly [method: 'get' | 'post' | 'delete', pattern: string]> = [
  ['get', '/swarm'],
  ['get', '/swarm/unlockkey'],
  ['post', '/swarm/unlock'],
  ['get', '/services'],
  ['post', '/services/create'],
  ['get', '/services/:id'],
  ['delete', '/services/:id'],
  ['get', '/nodes'],
  ['get', '/nodes/:id'],
  ['delete', '/nodes/:id'],
  ['get', '/tasks'],
  ['get', '/tasks/:id'],
  ['get', '/secrets'],
  ['post', '/secrets/create'],
  ['get', '/secrets/:id'],
  ['delete', '/secrets/:id'],
  ['get', '/configs'],
  ['post', '/configs/create'],
  ['get', '/configs/:id'],
  ['delete', '/configs/:id'],
];

/** updates check their ?version= first (a 400 in dockerd's words), then find there is no swarm */
const VERSIONED_UPDATES: ReadonlyArray<readonly [pattern: string, kind: string, detailed: boolean]> = [
  ['/swarm/update', 'swarm', true],
  ['/services/:id/update', 'service', true],
  ['/nodes/:id/update', 'node', true],
  ['/secrets/:id/update', 'secret', false],
  ['/configs/:id/update', 'config', false],
];

/** Go's strconv.ParseUint on ?version=, with the words dockerd wraps its failure in */
export function checkObjectVersion(raw: string | undefined, kind: string, detailed: boolean): void {
  const value = raw ?? '';
  if (/^\d+$/.test(value) && BigInt(value) < 2n ** 64n) return;
  if (!detailed) throw invalidArgument(`invalid ${kind} version`);
  const reason = /^\d+$/.test(value) ? 'value out of range' : 'invalid syntax';
  throw invalidArgument(`invalid ${kind} version '${value}': strconv.ParseUint: parsing ${JSON.stringify(value)}: ${reason}`);
}

/** dockerd's logs routes refuse a request for no stream before they look for the service or task */
function checkLogStreams(ctx: RequestContext): void {
  if (!ctx.query.bool('stdout') && !ctx.query.bool('stderr')) throw new AppError('INTERNAL', 'Bad parameters: you must choose at least one stream');
}

export function swarmRoutes(router: Router): void {
  for (const [method, pattern] of MANAGER_ROUTES) {
    router[method](pattern, async (ctx) => {
      ctx.query.filters(); // a malformed ?filters= is a 400 first, as in dockerd
      throw noManager();
    });
  }
  for (const [pattern, kind, detailed] of VERSIONED_UPDATES) {
    router.post(pattern, async (ctx) => {
      checkObjectVersion(ctx.query.string('version'), kind, detailed);
      throw noManager();
    });
  }
  for (const pattern of ['/services/:id/logs', '/tasks/:id/logs']) {
    router.get(pattern, async (ctx) => {
      checkLogStreams(ctx);
      throw noManager();
    });
  }
  router.post('/swarm/leave', async () => {
    throw unavailable(NOT_IN_A_SWARM);
  });
  for (const pattern of ['/swarm/init', '/swarm/join']) {
    router.post(pattern, async () => {
      throw unavailable('boxlabd has no swarm mode: it runs containers on this one host and cannot start or join a swarm', {
        suggestions: ['the swarm chapters need Docker Engine itself: try them on a host with dockerd (apt-get install docker.io)'],
      });
    });
  }
}

/** managed plugins: none installed, and boxlabd installs none */
export function pluginRoutes(router: Router): void {
  router.get('/plugins', async (ctx) => {
    ctx.query.filters();
    ctx.reply.json(200, []);
  });
  router.get('/plugins/privileges', async (ctx) => ctx.reply.json(200, []));
  const noInstall = async () => {
    throw unavailable('boxlabd does not install managed plugins (docker plugin install, create, upgrade): it has none and uses its built-in drivers only', {
      suggestions: ['plugins need Docker Engine itself: try them on a host with dockerd'],
    });
  };
  router.post('/plugins/pull', noInstall);
  router.post('/plugins/create', noInstall);
  const missing = async (ctx: RequestContext) => {
    throw notFound(`plugin ${JSON.stringify(ctx.params.name)} not found`);
  };
  router.get('/plugins/*name/json', missing);
  for (const action of ['enable', 'disable', 'push', 'set', 'upgrade']) router.post(`/plugins/*name/${action}`, missing);
  router.delete('/plugins/*name', missing);
}
