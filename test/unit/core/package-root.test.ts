import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPackageRoot, PACKAGE_ROOT } from '../../../src/core/package-root.js';

describe('package root', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-pkgroot-'));
  });
  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it("finds the nearest folder above whose package.json is boxlab's, from however deep the code runs", async () => {
    await fs.writeFile(path.join(tmp, 'package.json'), JSON.stringify({ name: 'boxlab' }));
    // a package.json of another name on the way (a dependency's) is passed over
    await fs.mkdir(path.join(tmp, 'dist/cli/commands/lab'), { recursive: true });
    await fs.writeFile(path.join(tmp, 'dist/package.json'), JSON.stringify({ type: 'module' }));
    assert.equal(findPackageRoot(path.join(tmp, 'dist/cli/commands/lab')), tmp);
    assert.equal(findPackageRoot(path.join(tmp, 'dist/cli')), tmp);
    assert.equal(findPackageRoot(tmp), tmp);
  });

  it('says there is none when no folder above holds it, and a damaged package.json is not it', async () => {
    await fs.writeFile(path.join(tmp, 'package.json'), '{ not json');
    assert.equal(findPackageRoot(tmp), undefined);
  });

  it('is the checkout the tests run from (its labs are there)', async () => {
    await fs.access(path.join(PACKAGE_ROOT, 'labs', 'tracks.yaml'));
  });
});
