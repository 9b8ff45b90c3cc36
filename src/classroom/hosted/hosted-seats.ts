// Hosted seats (ADR 0025): for a student with only a browser, the class server gives the seat a sandbox
// from a warm pool and opens a lab page for it (the `boxlab serve` page, on its own port, with the
// seat's own token). This object is the pool and the bindings:
// - fill(): keeps `size` sandboxes ready, never more sandboxes than the class has seats, and never more
//   on a host of the hosts file than its slots; one fill at a time.
// - join(): binds a ready sandbox to the seat in one transaction (a cold one is made when none is ready)
//   and opens the seat's page; the pool is topped up behind.
// - reset(): the sandbox back to the lab's start: restored in place from its snapshot (QEMU), else the
//   seat is given a fresh sandbox from the pool and the old one destroyed. The page keeps its address.
// - check(): one round of the health watch: a seat whose sandbox does not answer shows red on the grid
//   at once (its heartbeat says the sandbox is down); a sandbox that misses `missesToReplace` rounds in
//   a row is dead: a warm one is destroyed, a seat's is replaced from the pool as a reset is. One slow
//   answer (TCG VMs on a loaded laptop) must not destroy a student's work. Live seats beat for
//   themselves, so the grid's dead rules apply.
// - resume(): after a restart, the seats' pages open again at the same address; half-made sandboxes
//   of the killed server are destroyed.
import { randomBytes } from 'node:crypto';
import { failedPrecondition, messageOf } from '../../core/errors.js';
import type { ClassStore } from '../class-store.js';
import { hostKey, pickHost, type SeatHost } from './hosts-file.js';
import { requirePool, type HostedStore, type HostedSeat } from './hosted-store.js';
import type { SeatSandboxes } from './seat-sandboxes.js';

/** a seat's lab page, served by the class server's process */
export interface SeatPage {
  port: number;
  close(): Promise<void>;
}

/** opens the lab page of a seat's sandbox on `port` (0: any) with the seat's page token */
export type OpenSeatPage = (o: { seatId: string; vm: string; port: number; token: string }) => Promise<SeatPage>;

export interface HostedSeatsOptions {
  store: ClassStore;
  hosted: HostedStore;
  className: string;
  sandboxes: SeatSandboxes;
  openPage: OpenSeatPage;
  /** the host name students reach the pages at (the class server's address) */
  pageHost: string;
  /** rounds in a row a sandbox may not answer before it counts as dead (default 3) */
  missesToReplace?: number;
  log?: (line: string) => void;
}

export interface HostedJoin {
  vm: string;
  /** the lab page with the seat's token: where the student's browser goes */
  labUrl: string;
  /** the sandbox came from the warm pool (false: it was made for this join) */
  warm: boolean;
}

const newVmName = () => `seat-${randomBytes(5).toString('hex')}`;
const newPageToken = () => randomBytes(24).toString('base64url');

export class HostedSeats {
  private readonly pages = new Map<string, SeatPage>();
  private filling: Promise<void> = Promise.resolve();
  /** health rounds in a row each sandbox did not answer */
  private readonly misses = new Map<string, number>();
  private readonly log: (line: string) => void;
  /** the class server sets it: a seat's state changed in the middle of a round (push the grid now) */
  changed: () => void = () => undefined;

  constructor(private readonly o: HostedSeatsOptions) {
    this.log = o.log ?? (() => undefined);
  }

  private get pool() {
    return requirePool(this.o.hosted, this.o.className);
  }

  /**
   * the seat's page address, with its token, opening the class's first lab: a student with only a
   * browser lands on the lab the class is about, not on the catalog of every lab
   */
  labUrl(seat: HostedSeat): string {
    const h = this.o.pageHost.includes(':') ? `[${this.o.pageHost}]` : this.o.pageHost;
    const lab = this.o.store.get(this.o.className).labs[0]?.id;
    return `http://${h}:${seat.pagePort}/?token=${encodeURIComponent(seat.pageToken)}${lab ? `#/lab/${encodeURIComponent(lab)}` : ''}`;
  }

  /** tops the pool up to its size; resolves when the sandboxes it started are ready (or failed) */
  fill(): Promise<void> {
    this.filling = this.filling.then(() => this.fillOnce()).catch((err: unknown) => this.log(`the pool could not be filled: ${messageOf(err)}`));
    return this.filling;
  }

  /** the pool after a fill: sandboxes ready for a student, and how many the pool keeps (within the seats left) */
  warm(): { ready: number; wanted: number } {
    const all = this.o.hosted.sandboxes(this.o.className).filter((s) => s.phase !== 'dead');
    const bound = all.filter((s) => s.phase === 'bound').length;
    return { ready: all.filter((s) => s.phase === 'ready').length, wanted: Math.min(this.pool.size, this.o.store.get(this.o.className).seats - bound) };
  }

  private async fillOnce(): Promise<void> {
    const pool = this.pool;
    const seats = this.o.store.get(this.o.className).seats;
    const all = this.o.hosted.sandboxes(this.o.className).filter((s) => s.phase !== 'dead');
    const warm = all.filter((s) => s.phase === 'ready' || s.phase === 'provisioning').length;
    const want = Math.min(pool.size - warm, seats - all.length);
    const made: Promise<void>[] = [];
    const used = this.hostUse();
    for (let i = 0; i < want; i++) {
      const host = this.nextHost(pool.hosts, used);
      if (pool.kind === 'hosts' && !host) {
        this.log(`the pool has ${warm + made.length} warm sandboxes, not ${pool.size}: every host of the hosts file is full (add hosts or slots)`);
        break;
      }
      made.push(this.provision(host).then(() => undefined, () => undefined));
    }
    await Promise.all(made);
  }

  private hostUse(): Map<string, number> {
    const used = new Map<string, number>();
    for (const s of this.o.hosted.sandboxes(this.o.className)) if (s.host && s.phase !== 'dead') used.set(s.host, (used.get(s.host) ?? 0) + 1);
    return used;
  }

  private nextHost(hosts: readonly SeatHost[], used: Map<string, number>): SeatHost | undefined {
    if (hosts.length === 0) return undefined;
    const h = pickHost(hosts, used);
    if (h) used.set(hostKey(h), (used.get(hostKey(h)) ?? 0) + 1);
    return h;
  }

  /** makes one sandbox and marks it ready; a failed one is destroyed and its row removed */
  private async provision(host?: SeatHost): Promise<string> {
    const vm = newVmName();
    this.o.hosted.addSandbox(this.o.className, vm, host && hostKey(host));
    const t0 = Date.now();
    try {
      await this.o.sandboxes.provision(vm, host);
      this.o.hosted.markReady(vm, Date.now() - t0);
      this.log(`sandbox ${vm}${host ? ` on ${hostKey(host)}` : ''} is ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return vm;
    } catch (err) {
      this.log(`sandbox ${vm}${host ? ` on ${hostKey(host)}` : ''} could not be made: ${messageOf(err)}`);
      await this.o.sandboxes.destroy(vm).catch(() => undefined);
      this.o.hosted.removeSandbox(vm);
      throw err;
    }
  }

  /**
   * one cold sandbox when the pool has none ready, within the class's seats and the hosts' slots; a host
   * that fails (down, full disk) is passed over for the next one with a free slot
   */
  private async provisionCold(): Promise<void> {
    const pool = this.pool;
    const live = this.o.hosted.sandboxes(this.o.className).filter((s) => s.phase !== 'dead');
    if (live.length >= this.o.store.get(this.o.className).seats + pool.size) throw failedPrecondition(`class "${this.o.className}" has no sandbox left for a hosted seat`, { suggestions: ['wait for the pool to refill, or give the class more seats'] });
    if (pool.kind !== 'hosts') {
      await this.provision();
      return;
    }
    const used = this.hostUse();
    const failed: string[] = [];
    for (;;) {
      const host = pickHost(pool.hosts.filter((h) => !failed.includes(hostKey(h))), used);
      if (!host) throw failedPrecondition(`no host of class "${this.o.className}"'s hosts file can take a seat now${failed.length ? ` (${failed.join(', ')} failed)` : ' (all full)'}`, { suggestions: ['add hosts or slots to the hosts file and create the class again', 'or bring the failed hosts back'] });
      try {
        await this.provision(host);
        return;
      } catch {
        failed.push(hostKey(host));
      }
    }
  }

  /** binds a sandbox to the seat (a cold one when the pool is empty) and opens its page */
  async join(seatId: string): Promise<HostedJoin> {
    const had = this.o.hosted.seat(seatId);
    if (had && this.pages.has(seatId)) return { vm: had.vm, labUrl: this.labUrl(had), warm: true };
    let warm = true;
    let bound = had ? { seat: had } : this.o.hosted.bind(this.o.className, seatId, { port: 0, token: newPageToken() });
    while (!bound) {
      warm = false;
      await this.provisionCold();
      bound = this.o.hosted.bind(this.o.className, seatId, { port: 0, token: newPageToken() });
    }
    const seat = await this.openPage(bound.seat);
    this.o.store.heartbeat(seatId, 'up');
    void this.fill();
    return { vm: seat.vm, labUrl: this.labUrl(seat), warm };
  }

  private async openPage(seat: HostedSeat): Promise<HostedSeat> {
    await this.pages.get(seat.seatId)?.close();
    this.pages.delete(seat.seatId);
    const open = (port: number) => this.o.openPage({ seatId: seat.seatId, vm: seat.vm, port, token: seat.pageToken });
    const page = await open(seat.pagePort).catch((err: unknown) => {
      if (seat.pagePort === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      this.log(`port ${seat.pagePort} of seat ${seat.seatId}'s lab page is taken now: the page moves to a new port (the student opens the join link again)`);
      return open(0);
    });
    this.pages.set(seat.seatId, page);
    if (page.port !== seat.pagePort) this.o.hosted.setPagePort(seat.seatId, page.port);
    return { ...seat, pagePort: page.port };
  }

  /** the seat's sandbox back to the lab's start; true when it was restored in place */
  async reset(seatId: string): Promise<{ vm: string; inPlace: boolean }> {
    const seat = this.o.hosted.seat(seatId);
    if (!seat) throw failedPrecondition(`seat ${seatId} has no hosted sandbox`, { suggestions: ['an own-sandbox seat is reset by its boxlab: boxlab class reset'] });
    if (await this.o.sandboxes.resetInPlace(seat.vm).catch(() => false)) {
      this.log(`seat ${seatId}: sandbox ${seat.vm} restored to the lab's start`);
      return { vm: seat.vm, inPlace: true };
    }
    return { vm: await this.replace(seatId), inPlace: false };
  }

  /** gives the seat a fresh sandbox at the same page address and destroys its old one */
  private async replace(seatId: string): Promise<string> {
    const page = this.o.hosted.seat(seatId)!;
    let bound = this.o.hosted.bind(this.o.className, seatId, { port: page.pagePort, token: page.pageToken });
    while (!bound) {
      await this.provisionCold();
      bound = this.o.hosted.bind(this.o.className, seatId, { port: page.pagePort, token: page.pageToken });
    }
    await this.openPage(bound.seat);
    if (bound.previous) await this.retire(bound.previous);
    this.log(`seat ${seatId}: sandbox ${bound.previous ?? '?'} replaced by ${bound.seat.vm}`);
    void this.fill();
    return bound.seat.vm;
  }

  private async retire(vm: string): Promise<void> {
    this.misses.delete(vm);
    this.o.hosted.markDead(vm);
    await this.o.sandboxes.destroy(vm).catch((err: unknown) => this.log(`sandbox ${vm} could not be destroyed: ${messageOf(err)}`));
    this.o.hosted.removeSandbox(vm);
  }

  /**
   * one round of the health watch (the class server runs it every few seconds): every sandbox is asked
   * at once; dead warm ones go first, so a dead seat is never handed another dead sandbox; a dead seat's
   * heartbeat says its sandbox is down (red on the grid, `changed` has the server push that) until
   * its replacement answers
   */
  async check(): Promise<void> {
    const all = this.o.hosted.sandboxes(this.o.className).filter((s) => s.phase !== 'provisioning');
    const alive = new Map(await Promise.all(all.map(async (s) => [s.vm, s.phase !== 'dead' && (await this.o.sandboxes.alive(s.vm))] as const)));
    const limit = this.o.missesToReplace ?? 3;
    // this round counted once per sandbox: an answer starts the count again
    for (const s of all) this.misses.set(s.vm, alive.get(s.vm) ? 0 : (this.misses.get(s.vm) ?? 0) + 1);
    const dead = (vm: string) => (this.misses.get(vm) ?? 0) >= limit;
    for (const s of all) {
      if (s.phase === 'dead' || (s.phase === 'ready' && dead(s.vm))) {
        if (s.phase === 'ready') this.log(`warm sandbox ${s.vm} did not answer ${limit} times in a row: destroyed, the pool makes another`);
        await this.retire(s.vm);
      }
    }
    for (const s of all) {
      if (s.phase !== 'bound' || !s.seatId) continue;
      const seatId = s.seatId;
      if (alive.get(s.vm)) {
        this.o.store.heartbeat(seatId, 'up');
        continue;
      }
      this.o.store.heartbeat(seatId, 'down');
      this.changed();
      if (!dead(s.vm)) {
        this.log(`seat ${seatId}'s sandbox ${s.vm} did not answer (${this.misses.get(s.vm)} of ${limit} times before it is replaced)`);
        continue;
      }
      this.log(`seat ${seatId}'s sandbox ${s.vm} did not answer ${limit} times in a row: replacing it from the pool`);
      await this.replace(seatId).then(
        () => this.o.store.heartbeat(seatId, 'up'),
        (err: unknown) => this.log(`seat ${seatId}'s sandbox could not be replaced: ${messageOf(err)}`),
      );
    }
    await this.fill();
  }

  /** after a restart: half-made sandboxes go, the seats' pages open again at their addresses */
  async resume(): Promise<void> {
    for (const s of this.o.hosted.sandboxes(this.o.className)) {
      if (s.phase === 'provisioning' || s.phase === 'dead') await this.retire(s.vm);
    }
    for (const seat of this.o.hosted.seats(this.o.className)) {
      await this.openPage(seat).catch((err: unknown) => this.log(`seat ${seat.seatId}'s lab page did not open: ${messageOf(err)}`));
    }
  }

  /**
   * a check or a hint on a hosted seat's lab page, recorded for the seat as an own-sandbox seat's report
   * is (its page runs in this process, so no HTTP); a lab that is not the class's is not recorded
   */
  record(seatId: string, r: { kind: 'check'; labId: string; stepIndex: number; passed: boolean; checksPassed: number; checksTotal: number } | { kind: 'hint'; labId: string; stepIndex: number; shown: number }): void {
    const lab = this.o.store.get(this.o.className).labs.find((l) => l.id === r.labId);
    const stepId = lab?.steps[r.stepIndex];
    if (!lab || !stepId) return;
    const at = new Date().toISOString();
    if (r.kind === 'check') {
      this.o.store.recordCheck(seatId, randomBytes(12).toString('hex'), { labId: lab.id, stepIndex: r.stepIndex, stepId, stepCount: lab.steps.length, passed: r.passed, checksPassed: r.checksPassed, checksTotal: r.checksTotal, at });
    } else if (r.shown > 0) {
      this.o.store.recordHints(seatId, { labId: lab.id, stepIndex: r.stepIndex, stepId, shown: r.shown, at });
    }
    this.changed();
  }

  /** is this seat hosted? */
  has(seatId: string): boolean {
    return this.o.hosted.seat(seatId) !== undefined;
  }

  /** closes the pages (the sandboxes stay for the next `class serve`) */
  async close(): Promise<void> {
    await this.filling;
    for (const p of this.pages.values()) await p.close().catch(() => undefined);
    this.pages.clear();
  }

  /** destroys every sandbox of the class (`class close`) */
  async destroyAll(): Promise<number> {
    await this.close();
    const all = this.o.hosted.sandboxes(this.o.className);
    for (const s of all) await this.retire(s.vm);
    return all.length;
  }
}
