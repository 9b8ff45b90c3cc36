// Network endpoints (`docker network create/ls/inspect/rm/connect/disconnect/prune`) over the network
// plane (src/engine/network/network-plane.ts), with Docker's shapes and errors. `host` and `none` are
// built in; without a network plane (unit tests of other planes) only they are listed.
import { isAppError, notFound } from '../../../core/errors.js';
import { builtinNetwork } from '../../network/network-views.js';
import type { ApiServices } from '../api-services.js';
import type { Router } from '../router.js';
import type { PruneFilter } from '../../docker-model.js';
import { parsePruneFilter } from '../prune-filters.js';
import { matchesNamePattern } from '../../containers/list-filters.js';
import { parseNetworkConnect, parseNetworkCreate, parseNetworkDisconnect } from '../schemas/network-schemas.js';

type NetworkView = Record<string, unknown> & { Name: string; Id: string; Driver: string; Labels: Record<string, string> };

/** Docker's network filters: name (a regular expression, as dockerd: part of the name, or ^bridge$), id (prefix), driver, type (custom/builtin), label, dangling */
export function filterNetworks(list: NetworkView[], filters: Record<string, string[]>): NetworkView[] {
  const builtin = (n: NetworkView) => ['bridge', 'host', 'none'].includes(n.Name);
  return list.filter(
    (n) =>
      (!filters.name || filters.name.some((v) => matchesNamePattern(v, n.Name))) &&
      (!filters.id || filters.id.some((v) => n.Id.startsWith(v))) &&
      (!filters.driver || filters.driver.includes(n.Driver)) &&
      (!filters.type || filters.type.some((t) => (t === 'builtin') === builtin(n))) &&
      (!filters.dangling || filters.dangling.some((d) => (d === 'true' || d === '1') === (Object.keys((n.Containers as object) ?? {}).length === 0 && !builtin(n)))) &&
      (!filters.label || filters.label.every((l) => {
        const [k, v] = l.split('=', 2);
        return k in n.Labels && (v === undefined || n.Labels[k] === v);
      })),
  );
}

export function networkRoutes(router: Router, services: Partial<ApiServices> = {}): void {
  const plane = services.networks;
  const all = (): NetworkView[] => (plane ? plane.list() : [builtinNetwork('host'), builtinNetwork('none')]) as NetworkView[];

  router.get('/networks', async (ctx) => ctx.reply.json(200, filterNetworks(all(), ctx.query.filters())));

  router.post('/networks/prune', async (ctx) => {
    const filter = parsePruneFilter('network', ctx.query.filters());
    const deleted = plane ? await pruneNetworks(plane, filter) : [];
    for (const name of deleted) services.events?.publish('network', 'destroy', name);
    ctx.reply.json(200, { NetworksDeleted: deleted.length ? deleted : null });
  });

  router.post('/networks/create', async (ctx) => {
    if (!plane) throw notFound('networks cannot be created: this engine runs without a network plane');
    const body = parseNetworkCreate(await ctx.readJson<unknown>());
    const created = await plane.create(body);
    services.events?.publish('network', 'create', created.Id, { name: body.Name ?? '', type: 'bridge' });
    ctx.reply.json(201, created);
  });

  router.get('/networks/:id', async (ctx) => {
    if (!plane) {
      const found = all().find((n) => n.Name === ctx.params.id || n.Id.startsWith(ctx.params.id));
      if (!found) throw notFound(`network ${ctx.params.id} not found`);
      return ctx.reply.json(200, found);
    }
    ctx.reply.json(200, plane.inspect(ctx.params.id));
  });

  router.delete('/networks/:id', async (ctx) => {
    if (!plane) throw notFound(`network ${ctx.params.id} not found`);
    await plane.remove(ctx.params.id);
    services.events?.publish('network', 'destroy', ctx.params.id);
    ctx.reply.empty(204);
  });

  router.post('/networks/:id/connect', async (ctx) => {
    if (!plane || !services.containers) throw notFound(`network ${ctx.params.id} not found`);
    const body = parseNetworkConnect(await ctx.readJson<unknown>());
    const c = await services.containers.inspect(body.Container ?? '');
    const state = c.State as { Running: boolean };
    await plane.connect(ctx.params.id, { containerId: String(c.Id), name: String(c.Name).replace(/^\//, ''), running: state.Running }, body.EndpointConfig ?? {});
    services.events?.publish('network', 'connect', String(plane.inspect(ctx.params.id).Id), { container: String(c.Id), name: String(plane.inspect(ctx.params.id).Name) });
    ctx.reply.empty(200);
  });

  router.post('/networks/:id/disconnect', async (ctx) => {
    if (!plane || !services.containers) throw notFound(`network ${ctx.params.id} not found`);
    const body = parseNetworkDisconnect(await ctx.readJson<unknown>());
    const id = await services.containers.resolveId(body.Container ?? '');
    await plane.disconnect(ctx.params.id, id);
    services.events?.publish('network', 'disconnect', String(plane.inspect(ctx.params.id).Id), { container: id, name: String(plane.inspect(ctx.params.id).Name) });
    ctx.reply.empty(200);
  });
}

/**
 * network prune: the unused user networks (no member, no endpoint: the plane's own rule for prune) that
 * pass the filters, each removed as `docker network rm` would; one taken into use meanwhile stays.
 */
async function pruneNetworks(plane: NonNullable<ApiServices['networks']>, filter: PruneFilter): Promise<string[]> {
  const gone: string[] = [];
  for (const view of plane.list() as NetworkView[]) {
    const record = plane.find(view.Id);
    if (!record || record.isDefault || Object.keys(record.members).length > 0 || Object.keys(record.endpoints).length > 0) continue;
    if (!filter.matches(view.Labels, record.Created)) continue;
    try {
      await plane.remove(view.Id);
      gone.push(view.Name);
    } catch (err) {
      if (!isAppError(err, 'FAILED_PRECONDITION')) throw err;
    }
  }
  return gone;
}
