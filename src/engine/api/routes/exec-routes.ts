// Exec endpoints (`docker exec`): create an exec instance in a running container, start it (hijacking the
// connection unless detached), resize its tty, inspect it (the CLI reads ExitCode from there at the end).
import type { ApiServices } from '../api-services.js';
import type { Router } from '../router.js';
import { parseExecCreate, parseExecStart } from '../schemas/exec-create-schema.js';
import { bridgeStdio } from '../stdio-bridge.js';
import { MULTIPLEXED_STREAM, RAW_STREAM } from './container-routes.js';

export function execRoutes(router: Router, services: ApiServices): void {
  const { containers } = services;

  router.post('/containers/:id/exec', async (ctx) => {
    const body = parseExecCreate(await ctx.readJson<unknown>());
    const id = await containers.resolveId(ctx.params.id);
    // docker events' exec_create, exec_start and exec_die come from the container service (health probes are execs too)
    const created = await containers.execCreate(id, body);
    ctx.reply.json(201, created);
  });

  router.post(
    '/exec/:id/start',
    async (ctx) => {
      const body = parseExecStart(await ctx.readJson<unknown>());
      const detach = body.Detach ?? false;
      const tty = body.Tty ?? false;
      const session = await containers.execStart(ctx.params.id, { detach, tty });
      if (detach) {
        session.close();
        ctx.reply.empty(200);
        return;
      }
      const { input, output } = ctx.reply.hijack(tty ? RAW_STREAM : MULTIPLEXED_STREAM);
      await bridgeStdio(session, input, output, { tty, stdin: true });
    },
    { hijack: true },
  );

  router.post('/exec/:id/resize', async (ctx) => {
    await containers.execResize(ctx.params.id, ctx.query.int('h') ?? 0, ctx.query.int('w') ?? 0);
    ctx.reply.empty(200);
  });

  router.get('/exec/:id/json', async (ctx) => ctx.reply.json(200, await containers.execInspect(ctx.params.id)));
}
