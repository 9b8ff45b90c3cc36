// The whole Docker Engine API surface boxlabd serves, as one router: system, images, volumes,
// networks, containers, exec, boxlab's trace endpoints, and the swarm and plugin routes a dockerd
// outside a swarm answers with "not a swarm manager" and an empty plugin list.
import type { ApiServices } from './api-services.js';
import { Router } from './router.js';
import { buildRoutes } from './routes/build-routes.js';
import { containerRoutes } from './routes/container-routes.js';
import { distributionRoutes } from './routes/distribution-routes.js';
import { execRoutes } from './routes/exec-routes.js';
import { imageRoutes } from './routes/image-routes.js';
import { networkRoutes } from './routes/network-routes.js';
import { pluginRoutes, swarmRoutes } from './routes/swarm-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { traceRoutes } from './routes/trace-routes.js';
import { volumeRoutes } from './routes/volume-routes.js';

export function dockerApiRouter(services: ApiServices): Router {
  const router = new Router();
  systemRoutes(router, services);
  distributionRoutes(router, services); // before imageRoutes: its pull route answers from a registry
  imageRoutes(router, services);
  volumeRoutes(router, services);
  networkRoutes(router, services);
  execRoutes(router, services);
  containerRoutes(router, services);
  traceRoutes(router, services);
  buildRoutes(router, services);
  swarmRoutes(router);
  pluginRoutes(router);
  return router;
}
