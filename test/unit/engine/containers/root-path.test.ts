// docker cp must see the container's filesystem as the container does: links resolve inside its root.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goFileMode, resolveInRoot } from '../../../../src/engine/containers/root-path.js';

describe('paths inside a container root', () => {
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-containers-unit-root-'));
    await fs.mkdir(path.join(root, 'etc'));
    await fs.writeFile(path.join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    await fs.symlink('/etc', path.join(root, 'abs-link'));
    await fs.symlink('../../../../../../etc', path.join(root, 'etc', 'up-link'));
    await fs.symlink('passwd', path.join(root, 'etc', 'rel-link'));
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  it('resolves absolute links against the container root, not the host\'s', async () => {
    assert.equal(await resolveInRoot(root, '/abs-link/passwd'), path.join(root, 'etc', 'passwd'));
  });

  it('stops ".." at the container root', async () => {
    assert.equal(await resolveInRoot(root, '/../../etc/passwd'), path.join(root, 'etc', 'passwd'));
    assert.equal(await resolveInRoot(root, '/etc/up-link/passwd'), path.join(root, 'etc', 'passwd'));
  });

  it('keeps the last component a link when asked (docker cp copies the link)', async () => {
    assert.equal(await resolveInRoot(root, '/etc/rel-link', true), path.join(root, 'etc', 'rel-link'));
    assert.equal(await resolveInRoot(root, '/etc/rel-link'), path.join(root, 'etc', 'passwd'));
  });

  it('gives Go FileMode bits for the stat header', async () => {
    const dirMode = goFileMode(await fs.lstat(path.join(root, 'etc')));
    assert.equal(dirMode >= 2 ** 31, true);
    const linkMode = goFileMode(await fs.lstat(path.join(root, 'abs-link')));
    assert.equal(Math.floor(linkMode / 2 ** 27) % 2, 1);
  });
});
