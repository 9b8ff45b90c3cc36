// scoped-path: a path resolved inside a folder as if it were "/": absolute link targets and ".." stay in.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileInRoot, resolveInRoot } from '../../../src/core/scoped-path.js';

describe('scoped-path: resolving inside a root', () => {
  let root: string;

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-scoped-'));
    await fs.mkdir(path.join(root, 'etc'));
    await fs.writeFile(path.join(root, 'etc', 'passwd'), 'inside\n');
    await fs.symlink('/etc', path.join(root, 'abs'));
    await fs.symlink('../../../../etc', path.join(root, 'up'));
    await fs.symlink('loop', path.join(root, 'loop'));
  });

  after(() => fs.rm(root, { recursive: true, force: true }));

  const cases: Array<[string, string]> = [
    ['/abs/passwd', 'etc/passwd'],
    ['up/passwd', 'etc/passwd'],
    ['../../etc/passwd', 'etc/passwd'],
    ['missing/../etc/x', 'etc/x'],
    ['', ''],
  ];
  for (const [input, want] of cases) {
    it(`"${input}" -> "${want}"`, async () => assert.equal(await resolveInRoot(root, input), path.join(root, want)));
  }

  it('reads through links inside the root only, and stops a symlink loop', async () => {
    assert.equal(await readFileInRoot(root, '/abs/passwd'), 'inside\n');
    assert.equal(await readFileInRoot(root, '/up/shadow'), undefined);
    await assert.rejects(resolveInRoot(root, 'loop/x'), /too many levels of symbolic links in loop\/x/);
  });
});
