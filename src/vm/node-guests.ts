// One guest connection per node for a few commands on several nodes at once (after a restore: the clock,
// the peers), opened on first use and closed after: an open SSH connection keeps a CLI process alive.
import type { Guest } from './guest.js';
import type { VmService } from './vm-service.js';

export async function withNodeGuests<T>(svc: Pick<VmService, 'guest'>, fn: (guestOf: (name: string) => Promise<Guest>) => Promise<T>): Promise<T> {
  const guests = new Map<string, Promise<Guest>>();
  const guestOf = (name: string) => guests.get(name) ?? guests.set(name, svc.guest(name)).get(name)!;
  try {
    return await fn(guestOf);
  } finally {
    await Promise.all([...guests.values()].map(async (g) => (await g.catch(() => undefined))?.close?.().catch(() => undefined)));
  }
}
