// `lab test` logic on small labs run by the LocalGuest in a temp folder (no root needed).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labEnv, loadValidLab } from '../../../src/labs/lab-loader.js';
import { testLab } from '../../../src/labs/lab-tester.js';
import { LocalGuest } from '../../../src/vm/providers/local/local-guest.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/labs');

describe('lab tester', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'boxlab-labs-tester-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const guest = new LocalGuest({ warn: null });

  it('passes a good lab: checks fail before, the solution runs, checks pass after; teardown cleans up', async () => {
    const lab = await loadValidLab(path.join(fixtures, 'valid/hello'));
    const work = path.join(tmp, 'work');
    const report = await testLab(guest, lab, { env: labEnv(lab, work) });
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.deepEqual(report.steps[0].before!.checks.map((c) => c.status), ['failed', 'skipped']);
    assert.deepEqual(report.steps[0].after!.checks.map((c) => [c.status, c.message]), [['passed', ''], ['passed', 'hello.txt says hello']]);
    assert.equal(existsSync(work), false, 'teardown did not remove the lab folder');
  });

  it('fails a lab whose check passes before the student acts, naming the check', async () => {
    const lab = await loadValidLab(path.join(fixtures, 'broken/passes-before'));
    const report = await testLab(guest, lab, { env: labEnv(lab, path.join(tmp, 'w')) });
    assert.equal(report.ok, false);
    assert.deepEqual(report.steps[0].problems, ['check "lab-dir-exists" passed before the solution ran: it cannot tell whether the student did the step']);
  });

  it('fails when setup fails, and still runs teardown', async () => {
    const lab = await loadValidLab(path.join(fixtures, 'valid/hello'));
    const marker = path.join(tmp, 'torn-down');
    const broken = { ...lab, setup: { script: 'echo "no busybox here" >&2; exit 4', pos: lab.setup!.pos }, teardown: { script: `touch ${marker}`, pos: lab.teardown!.pos } };
    const report = await testLab(guest, broken, { env: labEnv(lab, path.join(tmp, 'w')) });
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems, ['setup failed (exit 4): no busybox here']);
    assert.equal(existsSync(marker), true);
  });
});
