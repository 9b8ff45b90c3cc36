// Networks, as far as this version goes: every container gets its own network namespace with loopback
// ("none") or shares the host's ("host"). These answers let `docker network ls`, `docker system prune` and
// `docker inspect` (which also looks among networks) work until the bridge driver arrives.
import { notFound } from '../../../core/errors.js';
import type { Router } from '../router.js';

const NETWORKS = ['none', 'host'].map((name) => ({
  Name: name,
  Id: name.padEnd(64, '0'),
  Created: '0001-01-01T00:00:00Z',
  Scope: 'local',
  Driver: name === 'none' ? 'null' : 'host',
  EnableIPv6: false,
  IPAM: { Driver: 'default', Options: null, Config: [] },
  Internal: false,
  Attachable: false,
  Ingress: false,
  Containers: {},
  Options: {},
  Labels: {},
}));

export function networkRoutes(router: Router): void {
  router.get('/networks', async (ctx) => ctx.reply.json(200, NETWORKS));
  router.post('/networks/prune', async (ctx) => ctx.reply.json(200, { NetworksDeleted: null }));
  router.get('/networks/:id', async (ctx) => {
    const network = NETWORKS.find((n) => n.Name === ctx.params.id || n.Id.startsWith(ctx.params.id));
    if (!network) throw notFound(`network ${ctx.params.id} not found`);
    ctx.reply.json(200, network);
  });
}
