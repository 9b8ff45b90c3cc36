// The pure parts of a lab's image needs: Docker's default tag, the script that lists what the engine
// lacks (run here by sh with a stand-in for `docker image inspect`), and which recipes make what.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { missingImagesScript, NODE_DOCKERD_HOST, planImages, seedDockerdScript, withDefaultTag } from '../../../src/labs/lab-images.js';

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

  it("copies into a docker node's dockerd, from boxlabd, only the images dockerd lacks", () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'boxlab-lab-images-'));
    try {
      // dockerd (-H its socket) has busybox only; every call is logged with the socket it went to
      const log = path.join(bin, 'log');
      writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\necho "$2 $3 $4 $5" >> ${log}\ncase "$3 $4 $5" in "image inspect busybox") [ "$2" = "${NODE_DOCKERD_HOST}" ];; "image inspect"*) exit 1;; save*) echo TAR;; load*) read x; [ "$x" = TAR ];; esac\n`);
      chmodSync(path.join(bin, 'docker'), 0o755);
      const out = execFileSync('sh', ['-c', seedDockerdScript(['busybox', 'httpd:2.4'], 'unix:///run/boxlab/docker.sock')], { env: { PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
      assert.equal(out, 'httpd:2.4\n');
      assert.deepEqual(execFileSync('cat', [log], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim()).sort(), [
        `${NODE_DOCKERD_HOST} image inspect busybox`,
        `${NODE_DOCKERD_HOST} image inspect httpd:2.4`,
        `${NODE_DOCKERD_HOST} load -q`,
        'unix:///run/boxlab/docker.sock save httpd:2.4',
      ].sort());
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
