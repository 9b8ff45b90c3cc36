import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { packLayer } from '../../../src/engine/images/bake/debian-base.js';
import { upperToOciLayer } from '../../../src/engine/images/bake/overlay-layer.js';
import { requires } from '../../helpers/requires.js';

// What the bake recipes rely on: changes made through a real overlayfs mount come out of the upper
// directory as an OCI layer, deletions and replaced folders included.
describe('overlayfs upper directory -> OCI layer (root, overlayfs)', function () {
  let dir: string;
  let merged: string | undefined;
  before(function () {
    requires(this, 'root', 'overlayfs');
  });
  afterEach(async () => {
    if (merged) await run('umount', [merged], { allowFailure: true });
    merged = undefined;
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('turns deletions into .wh. files and a replaced folder into .wh..wh..opq, new folders plain', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-images-overlay-'));
    const [lower, upper, work] = ['lower', 'upper', 'work'].map((d) => path.join(dir, d));
    merged = path.join(dir, 'merged');
    for (const d of [lower, upper, work, merged, path.join(lower, 'etc/old'), path.join(lower, 'keep')]) await fs.mkdir(d, { recursive: true });
    await fs.writeFile(path.join(lower, 'etc/motd'), 'hello\n');
    await fs.writeFile(path.join(lower, 'etc/old/a.conf'), 'a\n');
    await fs.writeFile(path.join(lower, 'keep/file'), 'kept\n');
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged]);

    await fs.rm(path.join(merged, 'etc/motd'));
    await fs.rm(path.join(merged, 'etc/old'), { recursive: true });
    await fs.mkdir(path.join(merged, 'etc/old'));
    await fs.writeFile(path.join(merged, 'etc/old/b.conf'), 'b\n');
    await fs.mkdir(path.join(merged, 'opt/new'), { recursive: true });
    await fs.writeFile(path.join(merged, 'opt/new/tool'), 'tool\n');
    await run('umount', [merged]);
    merged = undefined;

    const result = await upperToOciLayer(upper, lower);
    assert.deepEqual(result.whiteouts, ['etc/motd']);
    assert.deepEqual(result.opaque, ['etc/old']);
    const layer = path.join(dir, 'layer.tar');
    await packLayer(upper, layer);
    const names = (await run('tar', ['-tf', layer])).stdout.split('\n').filter((n) => !n.endsWith('/'));
    assert.deepEqual(names.sort(), ['./etc/.wh.motd', './etc/old/.wh..wh..opq', './etc/old/b.conf', './opt/new/tool']);
  });
});
