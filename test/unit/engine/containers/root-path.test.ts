// docker cp's stat header carries Go's FileMode bits. (Resolving paths inside a root: test/unit/core/pinned-root.test.ts.)
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goFileMode } from '../../../../src/engine/containers/root-path.js';

describe('docker cp stat header modes', () => {
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-containers-unit-root-'));
    await fs.mkdir(path.join(root, 'etc'));
    await fs.symlink('/etc', path.join(root, 'abs-link'));
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  it('gives Go FileMode bits for the stat header', async () => {
    const dirMode = goFileMode(await fs.lstat(path.join(root, 'etc')));
    assert.equal(dirMode >= 2 ** 31, true);
    const linkMode = goFileMode(await fs.lstat(path.join(root, 'abs-link')));
    assert.equal(Math.floor(linkMode / 2 ** 27) % 2, 1);
  });
});
