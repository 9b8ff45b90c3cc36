// Volumes, binds and tmpfs resolved by resolveMounts, created by LocalVolumeStore and mounted by the real
// runc: data in a named volume outlives the container, a read-only bind refuses writes, an image's files
// are copied up into a new volume, and --volumes-from shares a volume read-only.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { requires } from '../../helpers/requires.js';
import { BusyboxBundle } from '../oci-spec/busybox-bundle.js';
import { LocalVolumeStore } from '../../../src/engine/volumes/local-volume-store.js';
import { resolveMounts, type ResolveMountsInput } from '../../../src/engine/volumes/resolve-mounts.js';
import { copyUpFromRootfs } from '../../../src/engine/volumes/copy-up.js';
import { newId } from '../../../src/core/ids.js';

describe('volumes mounted into real runc containers', function () {
  let bb: BusyboxBundle;
  let store: LocalVolumeStore;
  let volumesDir: string;

  before(async function () {
    requires(this, 'root', 'runc', 'busybox');
    bb = await new BusyboxBundle('volumes').init();
    volumesDir = path.join(bb.dir, 'volumes');
    store = new LocalVolumeStore(volumesDir);
    await fs.mkdir(path.join(bb.rootfs, 'seed'), { recursive: true });
    await fs.writeFile(path.join(bb.rootfs, 'seed/hello.txt'), 'from the image\n');
  });

  after(async () => {
    if (bb) await bb.cleanup();
  });

  /** what the container service does before the spec: resolve, create volumes and folders, copy up */
  async function prepare(partial: Partial<ResolveMountsInput>) {
    const r = resolveMounts({ volumesDir, exists: existsSync, newVolumeName: newId, ...partial });
    for (const name of r.volumesToCreate) await store.create(name);
    for (const dir of r.bindSourcesToCreate) await fs.mkdir(dir, { recursive: true });
    for (const c of r.copyUp) await copyUpFromRootfs(bb.rootfs, c.destination, store.dataDir(c.volume));
    return r;
  }

  it('a named volume keeps its data after the container is gone', async () => {
    const first = await prepare({ binds: ['notes:/notes'] });
    const w = await bb.run({ args: ['sh', '-c', 'echo kept > /notes/a.txt'], mounts: first.oci });
    assert.equal(w.exitCode, 0, w.stderr);
    await bb.delete(w.id);
    const again = await prepare({ binds: ['notes:/notes'] });
    const r = await bb.run({ args: ['cat', '/notes/a.txt'], mounts: again.oci });
    assert.equal(r.stdout, 'kept');
    assert.equal(await fs.readFile(path.join(store.dataDir('notes'), 'a.txt'), 'utf8'), 'kept\n');
  });

  it('a read-only bind refuses writes; a missing -v source folder is created', async () => {
    const host = path.join(bb.dir, 'host-ro');
    await fs.mkdir(host);
    await fs.writeFile(path.join(host, 'f'), 'host file\n');
    const made = path.join(bb.dir, 'made-by-v');
    const m = await prepare({ binds: [`${host}:/ro:ro`, `${made}:/rw`] });
    const r = await bb.run({ args: ['sh', '-c', 'cat /ro/f; echo x > /ro/g 2>/dev/null && echo wrote || echo refused; echo y > /rw/z && echo rw-ok'], mounts: m.oci });
    assert.equal(r.stdout, 'host file\nrefused\nrw-ok');
    assert.ok(!existsSync(path.join(host, 'g')));
    assert.equal(await fs.readFile(path.join(made, 'z'), 'utf8'), 'y\n');
  });

  it('a new volume over an image folder starts with the image files (copy-up)', async () => {
    const m = await prepare({ binds: ['seeded:/seed'] });
    const r = await bb.run({ args: ['cat', '/seed/hello.txt'], mounts: m.oci });
    assert.equal(r.stdout, 'from the image');
  });

  it('--tmpfs is a fresh tmpfs with noexec', async () => {
    const m = await prepare({ tmpfs: { '/scratch': 'size=1m' } });
    const r = await bb.run({ args: ['sh', '-c', 'grep " /scratch " /proc/mounts; cp /bin/busybox /scratch/bb && /scratch/bb true 2>/dev/null && echo ran || echo noexec'], mounts: m.oci });
    assert.match(r.stdout, /^tmpfs \/scratch tmpfs rw,nosuid,nodev,noexec/);
    assert.match(r.stdout, /noexec$/);
  });

  it('--volumes-from other:ro shares the volume read-only', async () => {
    const writer = await prepare({ binds: ['shared:/shared'] });
    await bb.run({ args: ['sh', '-c', 'echo from-writer > /shared/x'], mounts: writer.oci });
    const reader = await prepare({ volumesFrom: ['writer:ro'], otherContainers: { writer: writer.mountPoints } });
    const r = await bb.run({ args: ['sh', '-c', 'cat /shared/x; echo y > /shared/y 2>/dev/null && echo wrote || echo refused'], mounts: reader.oci });
    assert.equal(r.stdout, 'from-writer\nrefused');
  });

  it('volume usage and removal', async () => {
    assert.equal(await store.usage('notes'), 'kept\n'.length);
    await store.remove('notes', { isInUse: () => false });
    await assert.rejects(store.get('notes'), /no such volume/);
  });
});
