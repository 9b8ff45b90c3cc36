// Progress belongs to the learner, the lab's state to the sandbox (lab-marker.ts): a lab in the middle is
// resumed only where its setup's marker still is; elsewhere (a new VM, a restore, another sandbox) nothing
// runs until the learner picks replay (the earlier steps' solutions, each checked) or restart. Starting
// another lab tears the active one down. On this host (LocalGuest) in a temp folder, a real progress store.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileLabMarkdown } from '../../helpers/file-lab.js';
import { checkCurrentStep, resetLab, solveUpTo, startLab, type LabSessionContext } from '../../../src/labs/lab-session.js';
import { ProgressStore } from '../../../src/labs/progress-store.js';
import type { Guest } from '../../../src/vm/guest.js';
import { LocalGuest } from '../../../src/vm/providers/local/local-guest.js';

/** step <s> asks for $LAB_DIR/<s>; the teardown leaves a trace beside the folder */
const labMarkdown = (id: string, steps: string[]) => fileLabMarkdown(id, steps, { teardown: 'touch "$LAB_DIR.torn-down"' });

/** the same host under another sandbox's name, as after a switch between this host and a VM */
const renamed = (guest: Guest, name: string): Guest => ({ name, exec: (c, o) => guest.exec(c, o) });

describe('lab session: the lab state belongs to the sandbox', function () {
  this.timeout(60_000);
  let dir: string;
  let store: ProgressStore;
  let ctx: LabSessionContext;
  const guest = new LocalGuest({ warn: null });
  const work = (id: string) => path.join(dir, 'work', id);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-lab-session-'));
    for (const [id, steps] of [['01-three', ['a', 'b', 'c']], ['02-other', ['x']]] as const) {
      mkdirSync(path.join(dir, 'labs', id), { recursive: true });
      writeFileSync(path.join(dir, 'labs', id, 'lab.md'), labMarkdown(id, [...steps]));
    }
    store = new ProgressStore(':memory:');
    ctx = { store, learner: 'ada', labsRoot: path.join(dir, 'labs'), lang: 'en', workDir: work };
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function atStepThree(): Promise<void> {
    await startLab(ctx, guest, '01-three');
    writeFileSync(path.join(work('01-three'), 'a'), '');
    assert.equal((await checkCurrentStep(ctx, guest)).result.passed, true);
    writeFileSync(path.join(work('01-three'), 'b'), '');
    assert.equal((await checkCurrentStep(ctx, guest)).result.passed, true);
  }

  it('resumes where the sandbox still holds the lab', async () => {
    await atStepThree();
    const again = await startLab(ctx, guest, '01-three');
    assert.equal(again.resumed, true);
    assert.equal(again.sandboxLost, undefined);
    assert.equal(again.step?.id, 'c');
  });

  it('a sandbox without the lab (its folder gone, as in a new VM): nothing runs, replay or restart is offered', async () => {
    await atStepThree();
    rmSync(work('01-three'), { recursive: true });
    const lost = await startLab(ctx, guest, '01-three');
    assert.deepEqual(lost.sandboxLost, { now: 'local', startedIn: 'local', atStep: 3 });
    assert.equal(existsSync(work('01-three')), false, 'nothing ran in the sandbox');
    assert.equal(store.get('ada', '01-three')?.currentStep, 2, 'the progress is kept');

    // a check there says why it fails
    const check = await checkCurrentStep(ctx, guest);
    assert.equal(check.result.passed, false);
    assert.deepEqual(check.sandboxLost, { now: 'local', startedIn: 'local', atStep: 3 });

    const replayed = await startLab(ctx, guest, '01-three', 'replay');
    assert.deepEqual(replayed.replay, { ok: true, steps: [{ index: 0, id: 'a', passed: true }, { index: 1, id: 'b', passed: true }] });
    assert.ok(existsSync(path.join(work('01-three'), 'a')) && existsSync(path.join(work('01-three'), 'b')), "the solutions ran");
    assert.equal(existsSync(path.join(work('01-three'), 'c')), false, 'only the earlier steps');
    assert.equal(replayed.step?.id, 'c');
    assert.equal((await startLab(ctx, guest, '01-three')).sandboxLost, undefined, 'the sandbox holds it again');
  });

  it('the marker names the setup run, not the folder: a restart elsewhere moves it, a restored older run is not resumed', async () => {
    await atStepThree();
    const elsewhere = renamed(guest, 'qemu:boxlab');
    // the other sandbox wrote its own marker: this one's setup run is not that one
    await startLab(ctx, elsewhere, '01-three', 'restart');
    assert.equal(store.get('ada', '01-three')?.currentStep, 0, 'restart is step 1');
    writeFileSync(path.join(work('01-three'), 'a'), '');
    await checkCurrentStep(ctx, elsewhere);
    const back = await startLab(ctx, guest, '01-three');
    assert.equal(back.sandboxLost, undefined, 'same folder, same marker: the marker names the setup run, not the path');
    rmSync(work('01-three'), { recursive: true });
    mkdirSync(work('01-three'));
    writeFileSync(path.join(work('01-three'), '.boxlab-lab.json'), JSON.stringify({ labId: '01-three', run: 'an older run', sandbox: 'local', setAt: '' }));
    assert.deepEqual((await startLab(ctx, guest, '01-three')).sandboxLost, { now: 'local', startedIn: 'qemu:boxlab', atStep: 2 }, 'a restored snapshot holds an older run');
  });

  it('starting another lab runs the teardown of the active one, and says so', async () => {
    await startLab(ctx, guest, '01-three');
    assert.ok(existsSync(work('01-three')));
    const other = await startLab(ctx, guest, '02-other');
    assert.deepEqual(other.stopped, { id: '01-three', title: 'Lab 01-three' });
    assert.ok(existsSync(`${work('01-three')}.torn-down`), 'the teardown ran');
    assert.equal(existsSync(work('01-three')), false);
    // the same lab again tears nothing down
    rmSync(`${work('01-three')}.torn-down`);
    assert.equal((await startLab(ctx, guest, '02-other')).stopped, undefined);
    // reset <id> of another lab too
    const reset = await resetLab(ctx, guest, 1, '01-three');
    assert.equal(reset.stopped?.id, '02-other');
    assert.ok(existsSync(`${work('02-other')}.torn-down`));
  });

  it('solve up to a step: set up again, the earlier solutions replayed and checked, progress at that step', async () => {
    await startLab(ctx, guest, '01-three');
    const solved = await solveUpTo(ctx, guest, '01-three', 3);
    assert.equal(solved.replay.ok, true);
    assert.equal(solved.progress.currentStep, 2);
    assert.deepEqual(Object.keys(solved.progress.passed).sort(), ['a', 'b']);
    // a step whose solution does not make its check pass stops the replay there
    writeFileSync(path.join(dir, 'labs', '01-three', 'lab.md'), labMarkdown('01-three', ['a', 'b', 'c']).replace('touch "$LAB_DIR/b"', 'true'));
    const stuck = await solveUpTo(ctx, guest, '01-three', 3);
    assert.equal(stuck.replay.ok, false);
    assert.deepEqual(stuck.replay.steps.map((s) => [s.id, s.passed]), [['a', true], ['b', false]]);
    assert.equal(stuck.progress.currentStep, 1);
    await assert.rejects(solveUpTo(ctx, guest, '01-three', 9), /step 9 does not exist in lab "01-three"/);
  });
});
