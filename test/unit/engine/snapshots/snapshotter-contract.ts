// The behaviour every Snapshotter must have (containerd's snapshots/testsuite idea): run it against
// OverlaySnapshotter here, and against any fake another area writes (import snapshotterContract).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Snapshotter } from '../../../../src/engine/snapshots/snapshotter.js';

export interface ContractSubject {
  snapshotter: Snapshotter;
  cleanup(): Promise<void>;
}

export function snapshotterContract(name: string, make: () => Promise<ContractSubject>): void {
  describe(`Snapshotter contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await make();
    });
    afterEach(async () => subject.cleanup());

    it('prepare returns lower dirs top-most first and one overlay mount at rootfs', async () => {
      const s = await subject.snapshotter.prepare('k1', ['/layers/a', '/layers/b', '/layers/c']);
      assert.equal(s.key, 'k1');
      assert.equal(s.lowerdirs.length, 3);
      assert.equal(s.mounts.length, 1);
      assert.equal(s.mounts[0].type, 'overlay');
      assert.equal(s.mounts[0].target, s.rootfs);
      const lower = s.mounts[0].options.find((o) => o.startsWith('lowerdir='))!;
      assert.ok(lower, 'has a lowerdir option');
      assert.ok(s.mounts[0].options.includes(`upperdir=${s.upperdir}`));
      assert.ok(s.mounts[0].options.includes(`workdir=${s.workdir}`));
      for (const dir of [s.upperdir, s.workdir, s.rootfs]) assert.ok(existsSync(dir), `${dir} exists`);
    });

    it('get returns what prepare returned; unknown keys are undefined', async () => {
      const s = await subject.snapshotter.prepare('k2', ['/layers/a']);
      assert.deepEqual(await subject.snapshotter.get('k2'), s);
      assert.equal(await subject.snapshotter.get('missing'), undefined);
    });

    it('list and remove', async () => {
      await subject.snapshotter.prepare('k3', ['/layers/a']);
      await subject.snapshotter.prepare('k4', []);
      assert.deepEqual((await subject.snapshotter.list()).sort(), ['k3', 'k4']);
      const s = (await subject.snapshotter.get('k3'))!;
      await subject.snapshotter.remove('k3');
      assert.deepEqual(await subject.snapshotter.list(), ['k4']);
      assert.ok(!existsSync(s.upperdir), 'the writable layer is gone');
    });
  });
}
