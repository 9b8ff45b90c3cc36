import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HostCanary } from '../../helpers/host-canary.js';

describe('HostCanary (test helper for escape tests)', () => {
  it('reports nothing when the canary folder is untouched, and every write, change and removal otherwise', async () => {
    const canary = await HostCanary.create();
    try {
      assert.deepEqual(await canary.changes(), []);
      assert.match(await fs.readFile(path.join(canary.dir, 'secret'), 'utf8'), new RegExp(canary.secret));
      await fs.writeFile(path.join(canary.dir, 'writable', 'pwned'), 'x');
      await fs.writeFile(path.join(canary.dir, 'writable', 'victim'), 'overwritten\n');
      await fs.rm(path.join(canary.dir, 'secret'));
      await fs.symlink('/etc', path.join(canary.dir, 'link'));
      assert.deepEqual(await canary.changes(), ['added link', 'added writable/pwned', 'changed writable/victim', 'removed secret']);
    } finally {
      await canary.remove();
    }
  });
});
