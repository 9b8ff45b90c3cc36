// A detached container outlives boxlabd: stop the engine (SIGTERM) or kill it (-9), start it again, and
// the container is still running, with the same pid, its logs kept, and stop/rm still work.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('docker CLI: engine restart', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const inspect = async (name: string) => JSON.parse(await engine.dockerOk(['inspect', name]))[0];

  it('a second boxlabd on the same root is refused while the first runs', async () => {
    const { run } = await import('../../../src/core/exec.js');
    const res = await run(process.execPath, ['bin/run.js', 'engine', 'start', '--root', engine.root, '--socket', path.join(engine.dir, 'second.sock')], {
      allowFailure: true,
      timeout: 15_000,
    });
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /another boxlabd \(pid \d+\) holds the lock/);
  });

  for (const how of ['SIGTERM', 'SIGKILL'] as const) {
    it(`a detached container keeps running and keeps its logs across an engine ${how}`, async () => {
      const name = `rst-${how.toLowerCase()}`;
      // each tick is also written to /tick, where the test sees it while no engine reads the output
      await engine.dockerOk(['run', '-d', '--name', name, 'busybox', 'sh', '-c', 'i=0; while true; do echo tick $i; echo $i > /tick; i=$((i+1)); sleep 0.2; done']);
      await waitFor('two ticks in the logs', async () => (await engine.dockerOk(['logs', name])).split('\n').length >= 2);
      const before = await inspect(name);
      await engine.stopEngine(how);
      await fs.access(`/proc/${before.State.Pid}`);
      const tick = async () => Number((await fs.readFile(`/proc/${before.State.Pid}/root/tick`, 'utf8').catch(() => '')).trim() || -1);
      const atStop = await tick();
      // at least two lines written while it is down, and five in all (tick 4) for the check below
      await waitFor('two ticks written while the engine is down', async () => (await tick()) >= Math.max(atStop + 2, 4));
      await engine.startEngine();
      const after = await inspect(name);
      assert.equal(after.State.Running, true);
      assert.equal(after.State.Pid, before.State.Pid);
      const logs = (await engine.dockerOk(['logs', name])).split('\n');
      assert.equal(logs[0], 'tick 0');
      // lines written while the engine was down are kept too
      const last = Number(logs.at(-1)!.split(' ')[1]);
      assert.ok(last >= 4, `only ${logs.length} lines: ${logs.join('|')}`);
      assert.deepEqual(logs, logs.map((_, i) => `tick ${i}`));
      await engine.dockerOk(['stop', '-t', '1', name]);
      assert.equal((await inspect(name)).State.Running, false);
      await engine.dockerOk(['rm', name]);
    });
  }
});
