// The hosted seats of a class as `class serve` runs them: the class's pool (class create --hosted), its
// sandboxes through the qemu or ssh provider, the seats' lab pages (seat-page.ts), and the pages of the
// seats bound before a restart opened again. Undefined for a class without hosted seats.
import os from 'node:os';
import type { ClassStore } from '../classroom/class-store.js';
import { HostedSeats } from '../classroom/hosted/hosted-seats.js';
import { HostedStore } from '../classroom/hosted/hosted-store.js';
import { VmSeatSandboxes } from '../classroom/hosted/seat-sandboxes.js';
import type { Lang } from '../core/lang.js';
import { seatPageOpener, type SeatReport } from './seat-page.js';

export async function hostedSeatsFor(store: ClassStore, className: string, listenHost: string, lang: Lang, log: (line: string) => void): Promise<HostedSeats | undefined> {
  const hostedStore = new HostedStore(store.database);
  const pool = hostedStore.pool(className);
  if (!pool) return undefined;
  const sandboxes = new VmSeatSandboxes({ provider: pool.kind === 'qemu' ? 'qemu' : 'ssh', memoryMiB: pool.memoryMiB, progress: (l) => log(l) });
  // the pages report to the seats they serve; `hosted` exists by the time a page is opened
  const report = (seatId: string, r: SeatReport) => hosted.record(seatId, r);
  const hosted: HostedSeats = new HostedSeats({ store, hosted: hostedStore, className, sandboxes, openPage: seatPageOpener({ sandboxes, host: listenHost, lang, report }), pageHost: pageHost(listenHost), log });
  await hosted.resume();
  return hosted;
}

/** where students reach the seats' pages: the class server's address (for a wildcard, this machine's first external IPv4) */
export function pageHost(listenHost: string): string {
  if (listenHost !== '0.0.0.0' && listenHost !== '::') return listenHost;
  const external = Object.values(os.networkInterfaces())
    .flatMap((l) => l ?? [])
    .find((i) => i.family === 'IPv4' && !i.internal);
  return external?.address ?? '127.0.0.1';
}

/** `class close`: every sandbox of a class with hosted seats destroyed (undefined: the class has none) */
export async function destroyHostedSandboxes(store: ClassStore, className: string, log: (line: string) => void): Promise<number | undefined> {
  const hostedStore = new HostedStore(store.database);
  const pool = hostedStore.pool(className);
  if (!pool) return undefined;
  const sandboxes = new VmSeatSandboxes({ provider: pool.kind === 'qemu' ? 'qemu' : 'ssh', memoryMiB: pool.memoryMiB, progress: log });
  const noPages = async () => {
    throw new Error('no lab page is opened while a class closes');
  };
  return new HostedSeats({ store, hosted: hostedStore, className, sandboxes, openPage: noPages, pageHost: '127.0.0.1', log }).destroyAll();
}
