// The engine's own `runc delete` of a stopped container: what it reads from runc 1.1.5's state.json
// (recorded, test/fixtures/outputs/runc/SOURCE.md) and /proc/<pid>/stat, and when it leaves the work to runc.
import assert from 'node:assert/strict';
import { engineMayDelete, initStopped, parseProcStat, parseRuncState } from '../../../../src/engine/containers/stopped-runc-state.js';
import { recordedRunc } from './recording-runner.js';

describe('a stopped container\'s runc state (stopped-runc-state.ts)', () => {
  it('reads the init, its start time and every cgroup folder from what runc run --keep left', () => {
    const facts = parseRuncState(recordedRunc('state-stopped.json'));
    assert.ok(facts);
    assert.equal(facts.initPid, 16631);
    assert.equal(facts.initStart, 97364);
    assert.deepEqual(facts.cgroupPaths.sort(), [
      'blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'pids', 'systemd', 'unified',
    ].map((h) => `/sys/fs/cgroup/${h}/boxlab/perf-rec-stopped`));
    assert.equal(facts.privatePidNamespace, true);
    assert.equal(facts.poststopHooks, 0);
    assert.equal(engineMayDelete(facts), true);
  });

  it('a pid namespace shared with another container, or a poststop hook, is left to runc', () => {
    const shared = parseRuncState(recordedRunc('state-shared-pid.json'));
    assert.ok(shared);
    assert.equal(shared.privatePidNamespace, false);
    assert.equal(engineMayDelete(shared), false);
    const state = JSON.parse(recordedRunc('state-stopped.json'));
    state.config.Hooks.poststop = [{ path: '/usr/bin/true' }];
    assert.equal(engineMayDelete(parseRuncState(JSON.stringify(state))!), false);
    // --pid host: no NEWPID at all
    state.config.Hooks.poststop = null;
    state.config.namespaces = state.config.namespaces.filter((n: { type: string }) => n.type !== 'NEWPID');
    assert.equal(engineMayDelete(parseRuncState(JSON.stringify(state))!), false);
  });

  it('anything but a state.json is not read as one', () => {
    for (const text of ['', 'null', '{}', '{"init_process_pid": "1", "init_process_start": 2}', '[1]']) assert.equal(parseRuncState(text), undefined, text);
  });

  it('/proc/<pid>/stat: the state and field 22, also when the name holds spaces and parentheses', () => {
    const line = '16547 (cat) R 16543 16543 11602 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 96353 3133440 360 18446744073709551615 94382902218752 0';
    assert.deepEqual(parseProcStat(line), { state: 'R', startTime: 96353 });
    assert.deepEqual(parseProcStat(line.replace('(cat)', '(a) b) Z (c)')), { state: 'R', startTime: 96353 });
    assert.equal(parseProcStat(''), undefined);
  });

  it('stopped, by runc\'s rule: no process, a zombie or dead one, or another process with the same pid', () => {
    const facts = { initStart: 96353 };
    assert.equal(initStopped(facts, undefined), true);
    assert.equal(initStopped(facts, { state: 'Z', startTime: 96353 }), true);
    assert.equal(initStopped(facts, { state: 'X', startTime: 96353 }), true);
    assert.equal(initStopped(facts, { state: 'S', startTime: 12 }), true);
    assert.equal(initStopped(facts, { state: 'S', startTime: 96353 }), false);
  });
});
