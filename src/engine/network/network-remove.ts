// docker network rm and docker network prune: a network goes only without endpoints (Docker's "has
// active endpoints"), and never one of the pre-defined ones. Its DNS server stops, its rules go, and its
// bridge goes if the engine made it (a bridge the user made and named stays, as with dockerd).
import { failedPrecondition } from '../../core/errors.js';
import { syncKernel } from './kernel-sync.js';
import { inUse } from './network-errors.js';
import { BUILTIN_NETWORKS, type NetworkRecord } from './network-record.js';
import { deleteOwnBridge, type PlaneContext } from './plane-context.js';

export async function removeNetworkRef(ctx: PlaneContext, ref: string): Promise<void> {
  if ((BUILTIN_NETWORKS as readonly string[]).includes(ref)) throw failedPrecondition(`${ref} is a pre-defined network and cannot be removed`);
  const n = ctx.book.mustFind(ref);
  if (n.isDefault) throw failedPrecondition(`${n.Name} is a pre-defined network and cannot be removed`);
  if (Object.keys(n.endpoints).length > 0) throw inUse(n.Name, n.Id);
  await removeNetwork(ctx, n);
}

/** user networks without containers; their names */
export async function pruneNetworks(ctx: PlaneContext): Promise<string[]> {
  const gone: string[] = [];
  for (const n of ctx.book.all()) {
    if (n.isDefault || Object.keys(n.members).length > 0 || Object.keys(n.endpoints).length > 0) continue;
    await removeNetwork(ctx, n);
    gone.push(n.Name);
  }
  return gone;
}

async function removeNetwork(ctx: PlaneContext, n: NetworkRecord): Promise<void> {
  ctx.book.forgetNetwork(n);
  await ctx.dns?.stop(n.Id);
  await syncKernel(ctx);
  await deleteOwnBridge(ctx, n);
  await ctx.book.drop(n);
}
