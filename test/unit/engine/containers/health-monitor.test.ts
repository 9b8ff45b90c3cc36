// The probe loop with a fake probe runner: the interval before each probe, the timeout (exit code -1,
// Docker's text, the probe aborted and awaited before the next one), a probe that could not run, and
// stop() between and during probes (a late result is dropped).
import assert from 'node:assert/strict';
import { HealthMonitor, type ProbeRunner } from '../../../../src/engine/containers/health-monitor.js';
import type { HealthcheckResult } from '../../../../src/engine/containers/health-state.js';
import type { ProbeSettings } from '../../../../src/engine/containers/healthcheck-config.js';
import { waitFor } from '../../../helpers/wait-for.js';

const settings = (s: Partial<ProbeSettings> = {}): ProbeSettings => ({ command: ['true'], intervalMs: 5, timeoutMs: 1000, startPeriodMs: 0, retries: 3, timeoutText: '1s', ...s });

function harness(runProbe: ProbeRunner) {
  const results: HealthcheckResult[] = [];
  const monitor = new HealthMonitor({ runProbe, onResult: async (_id, r) => void results.push(r) });
  return { monitor, results };
}

describe('health monitor (the probe loop)', () => {
  it('runs the probe at each interval and hands over exit code, output and times', async () => {
    const calls: string[][] = [];
    const { monitor, results } = harness(async (_id, command) => {
      calls.push(command);
      return { exitCode: calls.length === 1 ? 1 : 0, output: `run ${calls.length}\n` };
    });
    monitor.start('c1', settings({ command: ['/bin/sh', '-c', 'x'] }));
    monitor.start('c1', settings()); // one loop per container
    await waitFor('three probe results', () => results.length >= 3, { timeoutMs: 5000, intervalMs: 5 });
    monitor.stop('c1');
    assert.deepEqual(calls[0], ['/bin/sh', '-c', 'x']);
    assert.deepEqual(results.slice(0, 2).map((r) => [r.ExitCode, r.Output]), [[1, 'run 1\n'], [0, 'run 2\n']]);
    for (const r of results) assert.ok(Date.parse(r.End) >= Date.parse(r.Start));
    assert.equal(monitor.running('c1'), false);
  });

  it('a probe over its timeout: exit code -1, "Health check exceeded timeout", aborted and awaited', async () => {
    let aborted = 0;
    let running = 0;
    let overlap = false;
    const { monitor, results } = harness(
      (_id, _cmd, signal) =>
        new Promise((resolve) => {
          if (running++ > 0) overlap = true;
          signal.addEventListener('abort', () => {
            aborted++;
            setTimeout(() => {
              running--;
              resolve({ exitCode: 143, output: '' });
            }, 20);
          });
        }),
    );
    monitor.start('c1', settings({ timeoutMs: 30, timeoutText: '30ms' }));
    await waitFor('two timed-out probes', () => results.length >= 2, { timeoutMs: 5000, intervalMs: 5 });
    monitor.stop('c1');
    assert.deepEqual(results[0]!.ExitCode, -1);
    assert.equal(results[0]!.Output, 'Health check exceeded timeout (30ms)');
    assert.ok(aborted >= 2);
    assert.equal(overlap, false, 'a new probe started while the timed-out one still ran');
  });

  it('a probe that could not run is a failure with its reason (exit code -1)', async () => {
    const { monitor, results } = harness(async () => {
      throw new Error('OCI runtime exec failed: no such file');
    });
    monitor.start('c1', settings());
    await waitFor('a result', () => results.length >= 1, { timeoutMs: 5000, intervalMs: 5 });
    monitor.stop('c1');
    assert.deepEqual([results[0]!.ExitCode, results[0]!.Output], [-1, 'OCI runtime exec failed: no such file']);
  });

  it('stop() during a probe aborts it and drops its result', async () => {
    let started = false;
    let aborted = false;
    const { monitor, results } = harness(
      (_id, _cmd, signal) =>
        new Promise((resolve) => {
          started = true;
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ exitCode: 0, output: 'late' });
          });
        }),
    );
    monitor.start('c1', settings());
    await waitFor('the probe to start', () => started, { timeoutMs: 5000, intervalMs: 5 });
    monitor.stop('c1');
    await waitFor('the probe to be aborted', () => aborted, { timeoutMs: 5000, intervalMs: 5 });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(results, []);
  });

  it('stop() between probes: no probe runs after it', async () => {
    let calls = 0;
    const { monitor } = harness(async () => {
      calls++;
      return { exitCode: 0, output: '' };
    });
    monitor.start('c1', settings({ intervalMs: 60_000 }));
    monitor.stop('c1');
    monitor.close();
    assert.equal(calls, 0);
    assert.equal(monitor.running('c1'), false);
  });
});
