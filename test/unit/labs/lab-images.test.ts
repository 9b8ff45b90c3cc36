// The pure parts of a lab's image needs: Docker's default tag, the script that lists what the engine
// lacks (run here by sh with a stand-in for `docker image inspect`), and which recipes make what.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { missingImagesScript, planImages, withDefaultTag } from '../../../src/labs/lab-images.js';

describe('lab images', () => {
  it('completes a name as Docker does: no tag is :latest; a tag, a registry port or a digest stays', () => {
    assert.equal(withDefaultTag('httpd'), 'httpd:latest');
    assert.equal(withDefaultTag('httpd:2.4'), 'httpd:2.4');
    assert.equal(withDefaultTag('localhost:5000/lab/web'), 'localhost:5000/lab/web:latest');
    assert.equal(withDefaultTag('busybox@sha256:abc'), 'busybox@sha256:abc');
  });

  it('bakes each recipe once and names the images no recipe makes', () => {
    const recipeFor = (i: string) => ({ 'httpd:latest': 'httpd', 'httpd:2.4': 'httpd', 'busybox:latest': 'busybox' })[i];
    assert.deepEqual(planImages(['httpd', 'httpd:2.4', 'busybox', 'mine:1'], recipeFor), { recipes: ['httpd', 'busybox'], unknown: ['mine:1'] });
  });

  it('lists the names the engine does not have, quoting each (a quote in a name stays one name)', () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'boxlab-lab-images-'));
    try {
      // `docker image inspect X` succeeds for busybox only
      writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\n[ "$3" = "busybox" ]\n');
      chmodSync(path.join(bin, 'docker'), 0o755);
      const out = execFileSync('sh', ['-c', missingImagesScript(['busybox', 'httpd', "it's"])], { env: { PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
      assert.deepEqual(out.trim().split('\n'), ['httpd', "it's"]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
