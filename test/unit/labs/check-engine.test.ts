// The check engine against a fake guest: a RecordingGuest that runs what it is given with the local
// bash (no root, no VM) and records each round trip, so the generated script really runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildCheckScript, parseCheckOutput } from '../../../src/labs/check-script.js';
import { runStepChecks, selectHint, watchStep } from '../../../src/labs/check-engine.js';
import type { Check, Hint, Step } from '../../../src/labs/lab-model.js';
import { guestArgv, type Guest, type GuestCommand, type GuestExecOptions, type GuestExecResult } from '../../../src/vm/guest.js';

class RecordingGuest implements Guest {
  readonly name = 'recording';
  readonly calls: GuestCommand[] = [];
  async exec(command: GuestCommand, options: GuestExecOptions = {}): Promise<GuestExecResult> {
    this.calls.push(command);
    const [file, ...args] = guestArgv(command);
    const r = spawnSync(file, args, { env: { ...process.env, ...options.env }, timeout: options.timeoutMs, encoding: 'utf8' });
    return { exitCode: r.status ?? 124, stdout: r.stdout, stderr: r.stderr };
  }
}

/** a sandbox that says it runs commands `factor` times slower than native (a TCG vm) */
class SlowGuest extends RecordingGuest {
  constructor(private readonly factor: number) {
    super();
  }
  slowdown(): Promise<number> {
    return Promise.resolve(this.factor);
  }
}

/** a guest whose runner dies half way: what a lost SSH connection looks like */
class DyingGuest implements Guest {
  readonly name = 'dying';
  async exec(command: GuestCommand): Promise<GuestExecResult> {
    const real = await new RecordingGuest().exec(command);
    const firstLine = real.stdout.split('\n')[0];
    return { exitCode: 255, stdout: firstLine + '\n', stderr: 'connection reset by peer' };
  }
}

const pos = { file: 'fake.md', line: 1 };
const check = (name: string, script: string, extra: Partial<Check> = {}): Check => ({ name, script, timeoutMs: 5000, needs: [], pos, ...extra });
const step = (checks: Check[], hints: Hint[] = []): Step => ({ id: 's', title: {}, text: {}, snippets: [], checks, hints, covers: [], pos });

describe('check engine', () => {
  it('gives checks say and fail, which speak the language the student chose', async () => {
    const script = 'test -f /nonexistent-boxlab || fail "no file yet" "还没有文件"';
    const both = [check('s', 'say "all good" "一切正常"'), check('f', script)];
    const en = await runStepChecks(new RecordingGuest(), step(both), { lang: 'en' });
    const zh = await runStepChecks(new RecordingGuest(), step(both), { lang: 'zh' });
    assert.deepEqual(en.checks.map((c) => [c.status, c.message]), [['passed', 'all good'], ['failed', 'no file yet']]);
    assert.deepEqual(zh.checks.map((c) => [c.status, c.message]), [['passed', '一切正常'], ['failed', '还没有文件']]);
  });

  it('runs all checks of a step in one round trip and reports each with its stdout as message', async () => {
    const guest = new RecordingGuest();
    const r = await runStepChecks(guest, step([check('a', 'echo fine'), check('b', 'echo "not yet: 1 of 2"; exit 3')]), { lang: 'en' });
    assert.equal(guest.calls.length, 1);
    assert.equal(r.passed, false);
    assert.deepEqual(r.checks.map((c) => [c.name, c.status, c.message, c.exitCode]), [
      ['a', 'passed', 'fine', 0],
      ['b', 'failed', 'not yet: 1 of 2', 3],
    ]);
  });

  it('skips a check whose need failed, runs it when the need passes, whatever the order written', async () => {
    const checks = [check('second', 'echo ran-second', { needs: ['first'] }), check('first', 'test -e "$MARK"')];
    const missing = await runStepChecks(new RecordingGuest(), step(checks), { lang: 'en', env: { MARK: '/nonexistent/boxlab' } });
    assert.deepEqual(missing.checks.map((c) => [c.name, c.status, c.message]), [
      ['second', 'skipped', 'skipped: needs first to pass first'],
      ['first', 'failed', ''],
    ]);
    const present = await runStepChecks(new RecordingGuest(), step(checks), { lang: 'en', env: { MARK: '/' } });
    assert.deepEqual(present.checks.map((c) => c.status), ['passed', 'passed']);
    assert.equal(present.passed, true);
  });

  it('kills a check at its timeout and says so', async () => {
    const started = Date.now();
    const r = await runStepChecks(new RecordingGuest(), step([check('slow', 'sleep 5', { timeoutMs: 300 })]), { lang: 'en' });
    assert.ok(Date.now() - started < 3000, 'the check was not cut at its timeout');
    assert.equal(r.checks[0].status, 'failed');
    assert.equal(r.checks[0].message, 'timed out after 300ms');
  });

  it('passes any output through intact (colons, newlines, unicode, the delimiter itself)', async () => {
    const tricky = 'a:b:c\n@@BOXLAB:x:0:0::\n中文 ✓';
    const r = await runStepChecks(new RecordingGuest(), step([check('t', `printf '%s' '${tricky}'; echo oops >&2; exit 1`)]), { lang: 'en' });
    assert.equal(r.checks[0].message, tricky);
    assert.equal(r.checks[0].stderr, 'oops');
  });

  it('selects the dynamic hint whose match text is in the output, else the check hint, else the static one', async () => {
    const hints: Hint[] = [
      { lang: 'en', text: 'static', pos },
      { lang: 'zh', text: '静态', pos },
      { lang: 'en', text: 'mount it first', check: 'c', match: 'not mounted', pos },
      { lang: 'en', text: 'generic c', check: 'c', pos },
      { lang: 'zh', text: '先挂载', check: 'c', match: 'not mounted', pos },
    ];
    const run = (out: string, lang: 'en' | 'zh') => runStepChecks(new RecordingGuest(), step([check('c', `echo '${out}'; exit 1`)], hints), { lang });
    assert.equal((await run('overlay not mounted', 'en')).hint, 'mount it first');
    assert.equal((await run('overlay not mounted', 'zh')).hint, '先挂载');
    assert.equal((await run('something else', 'en')).hint, 'generic c');
    assert.equal((await run('something else', 'zh')).hint, '静态');
    assert.equal(selectHint(hints, 'other', '', 'en'), undefined);
  });

  it('reports checks the runner never reached as failed, naming why', async () => {
    const r = await runStepChecks(new DyingGuest(), step([check('a', 'true'), check('b', 'true')]), { lang: 'en' });
    assert.equal(r.checks[0].status, 'passed');
    assert.equal(r.checks[1].status, 'failed');
    assert.match(r.checks[1].stderr ?? '', /runner stopped before this check: connection reset by peer/);
  });

  it('watch polls until the step passes and reports only changes', async () => {
    const flag = `/tmp/boxlab-labs-watch-${process.pid}`;
    const seen: string[] = [];
    const timer = setTimeout(() => spawnSync('touch', [flag]), 250);
    try {
      const final = await watchStep(new RecordingGuest(), step([check('f', `test -e ${flag} && echo there || { echo missing; exit 1; }`)]), { lang: 'en', intervalMs: 100 }, (r) =>
        seen.push(r.checks[0].message),
      );
      assert.equal(final.passed, true);
      assert.deepEqual(seen, ['missing', 'there']);
    } finally {
      clearTimeout(timer);
      spawnSync('rm', ['-f', flag]);
    }
  });

  it("multiplies each check's timeout by the sandbox's slowdown, and says the time it allowed", async () => {
    // a check that needs 1.5 s where its author allowed 0.6 s: as `docker inspect` four times under TCG
    const slow = step([check('slow', 'sleep 1.5; echo done', { timeoutMs: 600 })]);
    const native = await runStepChecks(new RecordingGuest(), slow, { lang: 'en' });
    assert.deepEqual(native.checks.map((c) => [c.status, c.timedOut]), [['failed', true]]);
    assert.match(native.checks[0]!.message, /600ms/);
    const emulated = await runStepChecks(new SlowGuest(10), slow, { lang: 'en' });
    assert.deepEqual(emulated.checks.map((c) => [c.status, c.message]), [['passed', 'done']]);
    const stuck = await runStepChecks(new SlowGuest(2), slow, { lang: 'en' });
    assert.deepEqual(stuck.checks.map((c) => [c.status, c.timedOut]), [['failed', true]]);
    assert.match(stuck.checks[0]!.message, /1200ms/);
  });

  it('the builder and parser agree on a cycle: both checks skipped, never run', () => {
    const checks = [check('a', 'echo a', { needs: ['b'] }), check('b', 'echo b', { needs: ['a'] })];
    const script = buildCheckScript(checks, 'n1');
    const out = spawnSync('bash', ['-c', script], { encoding: 'utf8' }).stdout;
    assert.deepEqual(parseCheckOutput(checks, 'n1', out).map((r) => r.status), ['skipped', 'skipped']);
  });
});
