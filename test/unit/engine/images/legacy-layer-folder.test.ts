import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MOVE_MARKER, moveLegacyLayerFolder } from '../../../../src/engine/images/legacy-layer-folder.js';

// The one-time move of <root>/snapshots/layers to <root>/images/layers, on a temp folder as the root: every
// state a crash can leave between two steps is laid out by hand and the next start must finish the move.
describe('moveLegacyLayerFolder (engine roots of before: layers leave snapshots/)', () => {
  let root: string;
  let legacy: string;
  let target: string;
  const hex = 'a'.repeat(64);
  const hex2 = 'b'.repeat(64);

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-layer-move-'));
    legacy = path.join(root, 'snapshots/layers');
    target = path.join(root, 'images/layers');
    await fs.mkdir(path.join(root, 'snapshots'), { recursive: true });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  async function oldLayer(dir: string, name: string, file = 'hello') {
    await fs.mkdir(path.join(dir, name, 'fs'), { recursive: true });
    await fs.writeFile(path.join(dir, name, 'fs', file), name);
    await fs.writeFile(path.join(dir, name, 'layer.json'), '{}');
  }

  async function assertMoved() {
    assert.equal(await fs.readlink(legacy), '../images/layers');
    // the paths an old snapshot.json names still reach the files
    assert.equal(await fs.readFile(path.join(legacy, hex, 'fs/hello'), 'utf8'), hex);
    assert.equal(await fs.readFile(path.join(target, hex, 'fs/hello'), 'utf8'), hex);
    assert.deepEqual((await fs.readdir(target)).includes(MOVE_MARKER), false);
  }

  it('does nothing on a root without the old folder (a new root gets no link)', async () => {
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'none');
    assert.equal(await fs.lstat(legacy).catch(() => undefined), undefined);
  });

  it('renames the old folder and leaves a relative link where it was', async () => {
    await oldLayer(legacy, hex);
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'moved');
    await assertMoved();
    // the next start finds the link and does nothing
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'none');
    await assertMoved();
  });

  it('moves over an empty new folder (made by a start that crashed before the move)', async () => {
    await oldLayer(legacy, hex);
    await fs.mkdir(target, { recursive: true });
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'moved');
    await assertMoved();
  });

  it('merges into a new folder that has layers: a layer both have is kept once', async () => {
    await oldLayer(legacy, hex);
    await oldLayer(legacy, hex2, 'old-copy');
    await oldLayer(target, hex2, 'new-copy');
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'moved');
    await assertMoved();
    assert.deepEqual((await fs.readdir(path.join(target, hex2, 'fs'))).sort(), ['new-copy']);
  });

  it('finishes a move cut after the rename: the link is made, the marker goes', async () => {
    await oldLayer(target, hex);
    await fs.writeFile(path.join(target, MOVE_MARKER), '');
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'finished');
    await assertMoved();
  });

  it('finishes a move cut after the link: only the marker goes', async () => {
    await oldLayer(target, hex);
    await fs.writeFile(path.join(target, MOVE_MARKER), '');
    await fs.symlink('../images/layers', legacy);
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'finished');
    await assertMoved();
  });

  it('redoes a move cut before the rename (the marker is still in the old folder)', async () => {
    await oldLayer(legacy, hex);
    await fs.writeFile(path.join(legacy, MOVE_MARKER), '');
    assert.equal(await moveLegacyLayerFolder(legacy, target), 'moved');
    await assertMoved();
  });
});
