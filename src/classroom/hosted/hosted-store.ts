// Hosted seats' state, in classroom.db next to the class (ADR 0025): how the class's sandboxes are made
// (QEMU on this machine, or the hosts of a hosts file through the ssh provider) and how many are kept
// warm; every sandbox the pool made, with its state; and, per hosted seat, the address of its lab page
// (port and token). The page address belongs to the seat, not to the sandbox: a reset or a replaced
// sandbox keeps it, so the student's open page reconnects to the new sandbox. A restarted class server
// reads these rows and opens the same pages again.
//
// The lab page tokens are kept plain (the page server must compare them), as the teacher token is, in
// the 0600 file.
import type Database from 'better-sqlite3';
import { failedPrecondition } from '../../core/errors.js';
import type { SeatHost } from './hosts-file.js';

export const HOSTED_KINDS = ['qemu', 'hosts'] as const;
export type HostedKind = (typeof HOSTED_KINDS)[number];

/** provisioning: being made; ready: warm, waiting for a student; bound: a seat's; dead: stopped answering, to be destroyed */
export const SANDBOX_PHASES = ['provisioning', 'ready', 'bound', 'dead'] as const;
export type SandboxPhase = (typeof SANDBOX_PHASES)[number];

export interface HostedPool {
  className: string;
  kind: HostedKind;
  /** the hosts of the hosts file, read at `class create` */
  hosts: SeatHost[];
  /** how many ready sandboxes the pool keeps (bounded by the seats and, for hosts, their slots) */
  size: number;
  /** QEMU: memory of each seat's vm */
  memoryMiB: number;
}

export interface HostedSandbox {
  vm: string;
  className: string;
  /** user@host:port of a hosts-file sandbox; absent for QEMU */
  host?: string;
  phase: SandboxPhase;
  seatId?: string;
  createdAt: string;
  /** how long it took to make, ms */
  provisionMs?: number;
}

export interface HostedSeat {
  seatId: string;
  vm: string;
  pagePort: number;
  pageToken: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hosted_pools (
  class TEXT PRIMARY KEY REFERENCES classes(name), kind TEXT NOT NULL, hosts TEXT NOT NULL, size INTEGER NOT NULL, memory_mib INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS hosted_sandboxes (
  vm TEXT PRIMARY KEY, class TEXT NOT NULL REFERENCES classes(name), host TEXT, phase TEXT NOT NULL,
  seat_id TEXT REFERENCES seats(id), created_at TEXT NOT NULL, provision_ms INTEGER);
CREATE TABLE IF NOT EXISTS hosted_seats (
  seat_id TEXT PRIMARY KEY REFERENCES seats(id), vm TEXT NOT NULL, page_port INTEGER NOT NULL, page_token TEXT NOT NULL);
`;

interface PoolRow {
  class: string;
  kind: string;
  hosts: string;
  size: number;
  memory_mib: number;
}
interface SandboxRow {
  vm: string;
  class: string;
  host: string | null;
  phase: string;
  seat_id: string | null;
  created_at: string;
  provision_ms: number | null;
}
interface SeatRow {
  seat_id: string;
  vm: string;
  page_port: number;
  page_token: string;
}

const toSandbox = (r: SandboxRow): HostedSandbox => {
  const s: HostedSandbox = { vm: r.vm, className: r.class, phase: r.phase as SandboxPhase, createdAt: r.created_at };
  if (r.host) s.host = r.host;
  if (r.seat_id) s.seatId = r.seat_id;
  if (r.provision_ms !== null) s.provisionMs = r.provision_ms;
  return s;
};

export class HostedStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.exec(SCHEMA);
  }

  setPool(p: HostedPool): void {
    this.db.prepare('INSERT INTO hosted_pools VALUES (?, ?, ?, ?, ?) ON CONFLICT(class) DO UPDATE SET kind = excluded.kind, hosts = excluded.hosts, size = excluded.size, memory_mib = excluded.memory_mib').run(p.className, p.kind, JSON.stringify(p.hosts), p.size, p.memoryMiB);
  }

  pool(className: string): HostedPool | undefined {
    const r = this.db.prepare('SELECT * FROM hosted_pools WHERE class = ?').get(className) as PoolRow | undefined;
    return r && { className: r.class, kind: r.kind as HostedKind, hosts: JSON.parse(r.hosts) as SeatHost[], size: r.size, memoryMiB: r.memory_mib };
  }

  addSandbox(className: string, vm: string, host?: string): HostedSandbox {
    this.db.prepare('INSERT INTO hosted_sandboxes VALUES (?, ?, ?, ?, NULL, ?, NULL)').run(vm, className, host ?? null, 'provisioning', this.now().toISOString());
    return this.sandbox(vm)!;
  }

  sandbox(vm: string): HostedSandbox | undefined {
    const r = this.db.prepare('SELECT * FROM hosted_sandboxes WHERE vm = ?').get(vm) as SandboxRow | undefined;
    return r && toSandbox(r);
  }

  sandboxes(className: string): HostedSandbox[] {
    return (this.db.prepare('SELECT * FROM hosted_sandboxes WHERE class = ? ORDER BY created_at, vm').all(className) as SandboxRow[]).map(toSandbox);
  }

  markReady(vm: string, provisionMs: number): void {
    this.db.prepare("UPDATE hosted_sandboxes SET phase = 'ready', provision_ms = ? WHERE vm = ? AND phase = 'provisioning'").run(provisionMs, vm);
  }

  markDead(vm: string): void {
    this.db.prepare("UPDATE hosted_sandboxes SET phase = 'dead' WHERE vm = ?").run(vm);
  }

  removeSandbox(vm: string): void {
    this.db.prepare('DELETE FROM hosted_sandboxes WHERE vm = ?').run(vm);
  }

  /**
   * binds a ready sandbox to the seat in one transaction (two joins at once never get the same one): the
   * seat's page address is kept if it had one (a reset, a replacement), else the one given is recorded.
   * The sandbox the seat had before, if any, is returned to be destroyed. Undefined: no sandbox is ready.
   */
  bind(className: string, seatId: string, page: { port: number; token: string }): { seat: HostedSeat; previous?: string } | undefined {
    return this.db.transaction(() => {
      const ready = this.db.prepare("SELECT * FROM hosted_sandboxes WHERE class = ? AND phase = 'ready' ORDER BY created_at, vm LIMIT 1").get(className) as SandboxRow | undefined;
      if (!ready) return undefined;
      const old = this.seat(seatId);
      if (old) this.db.prepare("UPDATE hosted_sandboxes SET phase = 'dead', seat_id = NULL WHERE vm = ?").run(old.vm);
      this.db.prepare("UPDATE hosted_sandboxes SET phase = 'bound', seat_id = ? WHERE vm = ?").run(seatId, ready.vm);
      this.db.prepare('INSERT INTO hosted_seats VALUES (?, ?, ?, ?) ON CONFLICT(seat_id) DO UPDATE SET vm = excluded.vm').run(seatId, ready.vm, page.port, page.token);
      const seat = this.seat(seatId)!;
      return old ? { seat, previous: old.vm } : { seat };
    })();
  }

  /** the page's port as it was opened (port 0 asked for any) */
  setPagePort(seatId: string, port: number): void {
    this.db.prepare('UPDATE hosted_seats SET page_port = ? WHERE seat_id = ?').run(port, seatId);
  }

  seat(seatId: string): HostedSeat | undefined {
    const r = this.db.prepare('SELECT * FROM hosted_seats WHERE seat_id = ?').get(seatId) as SeatRow | undefined;
    return r && { seatId: r.seat_id, vm: r.vm, pagePort: r.page_port, pageToken: r.page_token };
  }

  seats(className: string): HostedSeat[] {
    return (this.db.prepare('SELECT h.* FROM hosted_seats h JOIN seats s ON s.id = h.seat_id WHERE s.class = ? ORDER BY s.joined_at').all(className) as SeatRow[]).map((r) => ({ seatId: r.seat_id, vm: r.vm, pagePort: r.page_port, pageToken: r.page_token }));
  }
}

/** the pool of a class that has one, else a clear error */
export function requirePool(store: HostedStore, className: string): HostedPool {
  const p = store.pool(className);
  if (!p) throw failedPrecondition(`class "${className}" has no hosted seats`, { suggestions: [`create it with hosted seats: boxlab class create ${className} --lab <id> --hosted qemu --pool 3`] });
  return p;
}
