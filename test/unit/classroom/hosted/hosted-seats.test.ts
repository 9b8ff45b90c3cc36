// The warm pool and the seat bindings over a recording double of the sandboxes (the real providers are in
// test/integration/classroom/hosted-seats.integration.ts): the pool never grows past the class's seats,
// a join takes a warm sandbox or makes one cold, a snapshot provider resets in place, bindings survive a
// reopened store, and two joins never share a sandbox.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClassStore } from '../../../../src/classroom/class-store.js';
import { hostedPoolOf } from '../../../../src/classroom/hosted/hosted-choice.js';
import { HostedSeats, type OpenSeatPage } from '../../../../src/classroom/hosted/hosted-seats.js';
import { HostedStore } from '../../../../src/classroom/hosted/hosted-store.js';
import type { SeatSandboxes } from '../../../../src/classroom/hosted/seat-sandboxes.js';
import type { Guest } from '../../../../src/vm/guest.js';
import type { VmService } from '../../../../src/vm/vm-service.js';

class RecordingSandboxes implements SeatSandboxes {
  readonly provider = 'qemu' as const;
  readonly vms = undefined as unknown as VmService;
  readonly live = new Set<string>();
  readonly calls: string[] = [];
  constructor(private readonly snapshots: boolean) {}
  async provision(vm: string) {
    this.calls.push(`provision ${vm}`);
    this.live.add(vm);
  }
  async alive(vm: string) {
    return this.live.has(vm);
  }
  async resetInPlace(vm: string) {
    this.calls.push(`reset ${vm}`);
    return this.snapshots;
  }
  async destroy(vm: string) {
    this.calls.push(`destroy ${vm}`);
    this.live.delete(vm);
  }
  guest(): Promise<Guest> {
    throw new Error('no guest in the double');
  }
}

describe('hosted seats (pool and bindings)', () => {
  let dir: string;
  let store: ClassStore;
  let ports = 40000;
  const opened: string[] = [];
  const openPage: OpenSeatPage = async ({ vm, port }) => {
    opened.push(vm);
    return { port: port || ports++, close: async () => undefined };
  };
  const seats = (sandboxes: SeatSandboxes, s = store) => new HostedSeats({ store: s, hosted: new HostedStore(s.database), className: 'c', sandboxes, openPage, pageHost: '127.0.0.1' });
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-hosted-unit-'));
    store = new ClassStore(path.join(dir, 'classroom.db'));
    store.create('c', [{ id: 'l1', steps: ['a'] }], 3);
    new HostedStore(store.database).setPool(await hostedPoolOf('c', 'qemu', 2, 3));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fills to the pool size, and never past the class seats however many join', async () => {
    const sb = new RecordingSandboxes(true);
    const h = seats(sb);
    await h.fill();
    assert.equal(sb.live.size, 2);
    const code = store.liveCode('c')!.code;
    const joins = [];
    for (const name of ['a', 'b', 'c']) joins.push(await h.join(store.join(code, name).seat.id));
    await h.fill();
    assert.deepEqual(joins.slice(0, 2).map((j) => j.warm), [true, true], 'the first two came from the pool');
    assert.equal(new Set(joins.map((j) => j.vm)).size, 3, 'three seats, three sandboxes');
    assert.equal(sb.live.size, 3, 'no warm sandbox beyond the 3 seats');
    assert.equal(new Set(joins.map((j) => new URL(j.labUrl).port)).size, 3);
  });

  it('a join with an empty pool makes a sandbox cold', async () => {
    const sb = new RecordingSandboxes(false);
    const h = seats(sb);
    const j = await h.join(store.join(store.liveCode('c')!.code, 'a').seat.id);
    assert.equal(j.warm, false);
    assert.ok(sb.live.has(j.vm));
    // the link opens the class's lab (the page's route), not the catalog of every lab
    assert.match(j.labUrl, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+#\/lab\/l1$/);
  });

  it('resets in place with snapshots, else gives the seat a fresh sandbox at the same address', async () => {
    const code = store.liveCode('c')!.code;
    const withSnap = new RecordingSandboxes(true);
    const h = seats(withSnap);
    await h.fill();
    const a = store.join(code, 'a').seat.id;
    const j = await h.join(a);
    assert.deepEqual(await h.reset(a), { vm: j.vm, inPlace: true });

    const without = new RecordingSandboxes(false);
    const h2 = seats(without);
    const b = store.join(code, 'b').seat.id;
    await h2.fill();
    const jb = await h2.join(b);
    const r = await h2.reset(b);
    assert.equal(r.inPlace, false);
    assert.notEqual(r.vm, jb.vm);
    assert.ok(without.calls.includes(`destroy ${jb.vm}`));
    assert.equal(new HostedStore(store.database).seat(b)!.pagePort, Number(new URL(jb.labUrl).port), 'the page keeps its address');
  });

  it('a seat sandbox that misses one round shows down and is kept; three in a row: replaced; a reopened store keeps the bindings', async () => {
    const sb = new RecordingSandboxes(false);
    const h = seats(sb);
    await h.fill();
    const a = store.join(store.liveCode('c')!.code, 'a').seat.id;
    const j = await h.join(a);
    // one slow answer is not death: red on the grid, the student's sandbox kept
    sb.live.delete(j.vm);
    await h.check();
    assert.equal(new HostedStore(store.database).seat(a)!.vm, j.vm);
    assert.equal(store.heartbeats('c')[0].sandbox, 'down');
    sb.live.add(j.vm);
    await h.check();
    assert.equal(store.heartbeats('c')[0].sandbox, 'up');
    assert.equal(new HostedStore(store.database).seat(a)!.vm, j.vm, 'it answered again: the same sandbox');
    // three rounds in a row without an answer: dead, replaced
    sb.live.delete(j.vm);
    await h.check();
    await h.check();
    assert.equal(new HostedStore(store.database).seat(a)!.vm, j.vm);
    await h.check();
    const now = new HostedStore(store.database).seat(a)!;
    assert.notEqual(now.vm, j.vm);
    assert.equal(store.heartbeats('c')[0].sandbox, 'up');
    store.close();
    store = new ClassStore(path.join(dir, 'classroom.db'));
    const again = seats(sb);
    opened.length = 0;
    await again.resume();
    assert.deepEqual(opened, [now.vm]);
    assert.equal(new HostedStore(store.database).seat(a)!.vm, now.vm);
  });

  it('checks --hosted and --pool before a class is made', async () => {
    await assert.rejects(hostedPoolOf('c', 'kvm', 1, 3), /--hosted kvm: expected qemu \(vms on this machine\) or hosts:<file>/);
    await assert.rejects(hostedPoolOf('c', 'qemu', 4, 3), /--pool 4 is more than the class's 3 seats/);
    await assert.rejects(hostedPoolOf('c', 'hosts:/nonexistent/h', 1, 3), /hosts file "\/nonexistent\/h" cannot be read \(ENOENT\)/);
    await assert.rejects(hostedPoolOf('c', 'qemu', 1, 3, 512), /--memory 512: a seat's vm needs at least 768 MiB/);
    assert.equal((await hostedPoolOf('c', 'qemu', 1, 3, 768)).memoryMiB, 768);
  });
});
