// The pool that replays labs a few at a time: never more than N together, never two that conflict
// together, every item once; what a lab names in the engine (so labs 06 and 08, which both name a
// container web, never run at once).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labEngineNames, labPrunes, labReadsPastEvents, runPool, shareEngineNames } from '../../helpers/lab-replay.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('lab replay pool', () => {
  it('runs every item once, at most N at a time, never two that conflict together', async () => {
    const running = new Set<number>();
    const done: number[] = [];
    let most = 0;
    const conflict = (a: number, b: number) => a % 3 === b % 3; // 0,3,6 conflict with each other, ...
    await runPool([0, 1, 2, 3, 4, 5, 6, 7], 3, conflict, async (n) => {
      for (const r of running) assert.ok(!conflict(n, r), `${n} ran with ${r}`);
      running.add(n);
      most = Math.max(most, running.size);
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      running.delete(n);
      done.push(n);
    });
    assert.deepEqual([...done].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(most, 3);
  });

  it('reads the engine names of a lab, and the real labs 06 and 08 share one', () => {
    const names = labEngineNames('docker run -d --name db --network appnet busybox\ndocker network create appnet\ndocker volume create data\ndocker build -t web:1.0 .');
    assert.deepEqual([...names].sort(), ['appnet', 'data', 'db', 'web']);
    const lab = (id: string) => labEngineNames(readFileSync(path.join(repo, 'labs', id, 'lab.md'), 'utf8'));
    assert.equal(shareEngineNames(lab('06-dockerfile'), lab('08-networking')), true);
    assert.equal(shareEngineNames(lab('04-container-lifecycle'), lab('07-volumes')), false);
  });

  it('tells a lab that prunes in its code from one whose prose only names prune (labs 05 and 07)', () => {
    const fence = '```';
    assert.equal(labPrunes(`${fence}teardown\ndocker image prune -f >/dev/null 2>&1 || true\n${fence}`), true);
    assert.equal(labPrunes(`${fence}sh run\ndocker prune\n${fence}`), false, 'not a docker command');
    assert.equal(labPrunes(`Use \`docker volume prune\` for anonymous volumes.\n${fence}sh run\ndocker volume ls\n${fence}`), false);
    const lab = (id: string) => readFileSync(path.join(repo, 'labs', id, 'lab.md'), 'utf8');
    assert.equal(labPrunes(lab('05-images-and-registry')), true);
    assert.equal(labPrunes(lab('07-volumes')), false);
  });

  it('tells a lab whose checks read past events (docker events --since) from one that only mentions them', () => {
    const fence = '```';
    assert.equal(labReadsPastEvents(`${fence}check x\ndocker events --since "$t0" --until now --format x\n${fence}`), true);
    assert.equal(labReadsPastEvents(`Try \`docker events --since 1m\`.\n${fence}sh run\ndocker events --help\n${fence}`), false);
    const lab = (id: string) => readFileSync(path.join(repo, 'labs', id, 'lab.md'), 'utf8');
    assert.equal(labReadsPastEvents(lab('15-lifecycle-in-depth')), true);
    assert.equal(labReadsPastEvents(lab('07-volumes')), false);
  });
});
