// Volume endpoints (`docker volume create/ls/inspect/rm/prune`), Docker's shapes from the VolumeStore.
import { invalidArgument } from '../../../core/errors.js';
import type { ApiServices } from '../api-services.js';
import type { Router } from '../router.js';
import { parsePruneFilter } from '../prune-filters.js';
import { parseVolumeCreate } from '../schemas/volume-create-schema.js';

export function volumeRoutes(router: Router, services: ApiServices): void {
  const { volumes, containers } = services;
  const inUse = (name: string) => containers.volumeInUse(name);

  router.post('/volumes/create', async (ctx) => {
    const body = parseVolumeCreate(await ctx.readJson<unknown>());
    if (body.Driver && body.Driver !== 'local') {
      throw invalidArgument(`volume driver "${body.Driver}" is not supported: boxlab has only the "local" driver`);
    }
    const volume = await volumes.create(body.Name || undefined, body.Labels ?? {}, body.DriverOpts ?? {});
    services.events.publish('volume', 'create', volume.Name);
    ctx.reply.json(201, volume);
  });

  router.get('/volumes', async (ctx) => {
    const filters = ctx.query.filters();
    let list = await volumes.list();
    if (filters.dangling) {
      const dangling = filters.dangling.includes('true') || filters.dangling.includes('1');
      list = list.filter((v) => inUse(v.Name) !== dangling);
    }
    if (filters.name) list = list.filter((v) => filters.name.some((n) => v.Name.includes(n)));
    if (filters.label) {
      list = list.filter((v) =>
        filters.label.every((l) => {
          const [k, val] = l.split('=', 2);
          return k in v.Labels && (val === undefined || v.Labels[k] === val);
        }),
      );
    }
    ctx.reply.json(200, { Volumes: list, Warnings: [] });
  });

  router.post('/volumes/prune', async (ctx) => {
    const filter = parsePruneFilter('volume', ctx.query.filters());
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const volume of await volumes.list()) {
      if (inUse(volume.Name) || !filter.matches(volume.Labels, volume.CreatedAt)) continue;
      reclaimed += await volumes.usage(volume.Name).catch(() => 0);
      await volumes.remove(volume.Name, { isInUse: inUse });
      deleted.push(volume.Name);
      services.events.publish('volume', 'destroy', volume.Name);
    }
    ctx.reply.json(200, { VolumesDeleted: deleted, SpaceReclaimed: reclaimed });
  });

  router.get('/volumes/:name', async (ctx) => ctx.reply.json(200, await volumes.get(ctx.params.name)));

  router.delete('/volumes/:name', async (ctx) => {
    await volumes.remove(ctx.params.name, { force: ctx.query.bool('force'), isInUse: inUse, usedBy: (n) => containers.volumeUsers(n) });
    services.events.publish('volume', 'destroy', ctx.params.name);
    ctx.reply.empty(204);
  });
}
