// chooseSandbox: which sandbox `boxlab lab ...` runs in, from --vm/--provider and the vm's record, and
// what a learner reads when that vm cannot be used.
import assert from 'node:assert/strict';
import { AppError } from '../../../src/core/errors.js';
import { chooseSandbox, describeSandbox, sandboxVmName, type SandboxVmFacts } from '../../../src/vm/sandbox-choice.js';

const vm = (name: string, state: SandboxVmFacts['state'], provider: SandboxVmFacts['provider'] = 'qemu'): SandboxVmFacts => ({ name, provider, state });

function refusal(fn: () => unknown): { message: string; hints: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return { message: err.message, hints: err.suggestions.join('\n') };
  }
  assert.fail('expected a refusal');
}

describe('chooseSandbox', () => {
  it('looks up the named vm, the default vm for a vm provider, nothing for --provider local', () => {
    assert.equal(sandboxVmName({ vm: 'lab1' }), 'lab1');
    assert.equal(sandboxVmName({ provider: 'qemu' }), 'boxlab');
    assert.equal(sandboxVmName({}), 'boxlab');
    assert.equal(sandboxVmName({ provider: 'local' }), undefined);
  });

  it('--vm alone is enough: the provider comes from the vm record', () => {
    assert.deepEqual(chooseSandbox({ vm: 'lab1' }, vm('lab1', 'running', 'multipass')), { kind: 'vm', vm: 'lab1', provider: 'multipass' });
    assert.deepEqual(chooseSandbox({ vm: 'lab1', provider: 'qemu' }, vm('lab1', 'running')), { kind: 'vm', vm: 'lab1', provider: 'qemu' });
  });

  it('with no flags uses the default sandbox when boxlab up made it, else this host', () => {
    assert.deepEqual(chooseSandbox({}, vm('boxlab', 'running')), { kind: 'vm', vm: 'boxlab', provider: 'qemu' });
    const local = chooseSandbox({}, undefined);
    assert.deepEqual(local, { kind: 'local', why: 'no-vm' });
    assert.match(describeSandbox(local), /this host \(no sandbox vm "boxlab": boxlab up creates it\)/);
    assert.deepEqual(chooseSandbox({ provider: 'local' }, undefined), { kind: 'local', why: 'asked' });
  });

  it('a named vm that does not exist: names it and how to create it', () => {
    const r = refusal(() => chooseSandbox({ vm: 'lab1' }, undefined));
    assert.equal(r.message, 'sandbox vm "lab1" does not exist');
    assert.match(r.hints, /create it: boxlab vm create lab1\n/);
    assert.match(refusal(() => chooseSandbox({ provider: 'qemu' }, undefined)).hints, /create it: boxlab up --provider qemu/);
  });

  it('a stopped vm: names it and how to start it, even when it is the default one', () => {
    for (const req of [{ vm: 'lab1' }, {}]) {
      const name = req.vm ?? 'boxlab';
      const r = refusal(() => chooseSandbox(req, vm(name, 'stopped')));
      assert.equal(r.message, `sandbox vm "${name}" is stopped`);
      assert.match(r.hints, new RegExp(`start it: boxlab vm start ${name}`));
      assert.match(r.hints, /--provider local \(no VM boundary\)/);
    }
  });

  it('a student in Chinese reads every refusal in Chinese, commands unchanged', () => {
    const missing = refusal(() => chooseSandbox({ vm: 'lab1' }, undefined, 'zh'));
    assert.equal(missing.message, '沙箱虚拟机 "lab1" 不存在');
    assert.match(missing.hints, /创建它：boxlab vm create lab1\n/);
    assert.match(missing.hints, /或者在本机上运行：--provider local（没有虚拟机隔离）/);
    const stopped = refusal(() => chooseSandbox({}, vm('boxlab', 'stopped'), 'zh'));
    assert.equal(stopped.message, '沙箱虚拟机 "boxlab" 已停止');
    assert.match(stopped.hints, /启动它：boxlab vm start boxlab/);
    for (const state of ['creating', 'broken', 'missing'] as const) assert.match(refusal(() => chooseSandbox({ vm: 'lab1' }, vm('lab1', state), 'zh')).message, /沙箱虚拟机 "lab1"/, state);
    assert.match(refusal(() => chooseSandbox({ vm: 'lab1', provider: 'multipass' }, vm('lab1', 'running'), 'zh')).message, /运行在 qemu 上，不是 multipass/);
  });

  it('a half-created vm (interrupted create) and one its provider lost: says how to clean up', () => {
    const broken = refusal(() => chooseSandbox({ vm: 'lab1' }, vm('lab1', 'broken')));
    assert.match(broken.message, /"lab1" is half-created: its create was interrupted/);
    assert.match(broken.hints, /boxlab vm delete lab1/);
    const missing = refusal(() => chooseSandbox({ vm: 'lab1' }, vm('lab1', 'missing', 'multipass')));
    assert.match(missing.message, /"lab1" is recorded but multipass no longer has it/);
    assert.match(missing.hints, /boxlab vm delete lab1 && boxlab vm create lab1 --provider multipass/);
    assert.match(refusal(() => chooseSandbox({ vm: 'lab1' }, vm('lab1', 'creating'))).message, /still being created/);
    // the provider could not even say (its daemon is down): its own error and fix come through
    const down = refusal(() => chooseSandbox({ vm: 'lab1' }, { ...vm('lab1', 'missing', 'multipass'), problem: { message: 'the multipass daemon is not running', suggestions: ['start it'] } }));
    assert.equal(down.message, 'sandbox vm "lab1" cannot be reached: the multipass daemon is not running');
    assert.match(down.hints, /^start it\n/);
  });

  it('refuses a --provider that contradicts the vm record, and an unknown provider', () => {
    const r = refusal(() => chooseSandbox({ vm: 'lab1', provider: 'multipass' }, vm('lab1', 'running')));
    assert.equal(r.message, 'sandbox vm "lab1" runs on qemu, not multipass');
    assert.match(refusal(() => chooseSandbox({ provider: 'docker' }, undefined)).message, /unknown provider "docker"/);
  });
});
