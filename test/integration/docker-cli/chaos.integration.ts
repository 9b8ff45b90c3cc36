// A short seeded chaos run: random lifecycle operations through the real docker CLI (run -d with ports,
// memory limits, restart policies, volumes and user networks; create, start, stop, kill, restart,
// pause/unpause, exec, rm -f; network and volume create/connect/disconnect/rm), with boxlabd killed by
// SIGKILL at random points, some between operations and some in the middle of one, and started again.
// After each restart no container may be lost (each one the model holds is listed, in a state the model
// allows, and a running one has a live process in its cgroup); at the end, with everything removed and
// the engine stopped, nothing of it may be left on the host (host-leaks.ts).
// BOXLAB_CHAOS_SEED replays a run (the seed is printed); BOXLAB_CHAOS_OPS and BOXLAB_CHAOS_KILLS size it.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../../../src/core/exec.js';
import { defaultBridge } from '../../../src/engine/network/default-bridge.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { ChaosModel, SeededRandom, type PlannedOp } from './chaos-model.js';
import { hostLeaks } from './host-leaks.js';

const SEED = Number(process.env.BOXLAB_CHAOS_SEED ?? 12012);
const OPS = Number(process.env.BOXLAB_CHAOS_OPS ?? 150);
const KILLS = Number(process.env.BOXLAB_CHAOS_KILLS ?? Math.max(1, Math.round(OPS / 19)));
const BUILTIN_NETWORKS = ['bridge', 'host', 'none'];

interface KillPoint {
  /** in the middle of the operation, this many ms after it began; otherwise right after it */
  duringMs?: number;
}

/** which operations are followed (or cut) by an engine kill: from their own stream of the seed */
function killSchedule(seed: number, ops: number, kills: number): Map<number, KillPoint> {
  const random = new SeededRandom(seed ^ 0x5eed);
  const points = new Map<number, KillPoint>();
  while (points.size < Math.min(kills, ops)) {
    const at = random.int(ops);
    if (!points.has(at)) points.set(at, random.chance(0.5) ? { duringMs: 20 + random.int(400) } : {});
  }
  return points;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('docker CLI: seeded chaos with engine kills', function () {
  this.timeout(600_000);
  const engine = useEngine({ needs: ['iptables'] });

  it(`loses no container and leaks nothing (seed ${SEED}, ${OPS} operations, ${KILLS} engine kills)`, async () => {
    console.log(`      chaos seed ${SEED} (BOXLAB_CHAOS_SEED), ${OPS} operations (BOXLAB_CHAOS_OPS), ${KILLS} kills (BOXLAB_CHAOS_KILLS)`);
    const started = Date.now();
    const model = new ChaosModel(new SeededRandom(SEED));
    const schedule = killSchedule(SEED, OPS, KILLS);
    const problems: string[] = [];
    const containerIds = new Set<string>();
    const networkIds = new Set<string>();
    const veths = new Set<string>();
    const spent = { operations: 0, restarts: 0, checks: 0 };
    const timed = async <T>(what: keyof typeof spent, work: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      try {
        return await work();
      } finally {
        spent[what] += Date.now() - t0;
      }
    };
    const counts = { interrupted: 0, killsDuring: 0, killsBetween: 0, expectedOk: 0, expectedError: 0, either: 0 };

    /** host ends of veth pairs, from the containers' traces (read before they can go with the container) */
    const collectFromTraces = async () => {
      const dir = path.join(engine.root, 'containers');
      for (const id of await fs.readdir(dir).catch(() => [] as string[])) {
        containerIds.add(id);
        const text = await fs.readFile(path.join(dir, id, 'trace.jsonl'), 'utf8').catch(() => '');
        for (const line of text.split('\n')) {
          if (!line.includes('"network.veth"')) continue;
          try {
            const hostSide = JSON.parse(line).details?.hostSide;
            if (typeof hostSide === 'string') veths.add(hostSide);
          } catch {
            // a line cut by the kill
          }
        }
      }
    };

    const judge = (i: number, op: PlannedOp, res: RunResult) => {
      const ok = res.exitCode === 0;
      counts[op.expect === 'ok' ? 'expectedOk' : op.expect === 'fail' ? 'expectedError' : 'either']++;
      if (op.expect !== 'either' && ok !== (op.expect === 'ok')) {
        problems.push(`op ${i} ${op.label}: expected ${op.expect === 'ok' ? 'success' : 'an error'}, got exit ${res.exitCode}: ${(res.stderr || res.stdout).trim()}`);
      }
      op.apply(ok, res.stdout);
    };

    const docker = (args: string[]): Promise<RunResult> =>
      timed('operations', () => engine.docker(args, { timeout: 60_000 })).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: `did not answer: ${err.message}` }));

    /** every container the model holds is there, in a state it allows; running ones really run */
    const checkNoneLost = async (when: string) => {
      const rows = new Map<string, { id: string; state: string }>();
      for (const line of (await engine.dockerOk(['ps', '-a', '--no-trunc', '--format', '{{.ID}}\t{{.Names}}\t{{.State}}'])).split('\n').filter(Boolean)) {
        const [id, name, state] = line.split('\t');
        rows.set(name!, { id: id!, state: state! });
      }
      for (const c of [...model.containers]) {
        const row = rows.get(c.name);
        rows.delete(c.name);
        if (!row) {
          if (c.exists === 'maybe') model.containers.splice(model.containers.indexOf(c), 1);
          else problems.push(`${when}: container ${c.name} (${c.id}) lost: not in docker ps -a`);
          continue;
        }
        c.exists = 'yes';
        c.id = row.id;
        containerIds.add(row.id);
        if (!c.states.has(row.state as never)) problems.push(`${when}: container ${c.name} is ${row.state}, expected ${[...c.states].join(' or ')}`);
        // without a restart policy nothing changes a state behind the test's back
        if (c.restartPolicy === 'no') c.states = new Set([row.state as never]);
      }
      for (const [name, row] of rows) problems.push(`${when}: container ${name} (${row.id}) is listed but was removed or never made`);
      const present = model.containers.filter((c) => c.id);
      if (present.length > 0) {
        const format = '{{.Id}}\t{{.State.Status}}\t{{.State.Pid}}\t{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}';
        for (const line of (await engine.dockerOk(['inspect', '--format', format, ...present.map((c) => c.id!)])).split('\n').filter(Boolean)) {
          const [id, status, pid, networks] = line.split('\t');
          const c = present.find((x) => x.id === id)!;
          // networks cut by a kill in the middle of a connect are what the engine says they are
          c.networks = networks!.trim().split(' ').filter(Boolean);
          if (status !== 'running') continue;
          const cgroup = await fs.readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
          if (!cgroup.includes(id!)) problems.push(`${when}: container ${c.name} is running with pid ${pid}, but that process ${cgroup ? 'is not in its cgroup' : 'is gone'}`);
        }
      }
      const networks = new Map((await engine.dockerOk(['network', 'ls', '--no-trunc', '--format', '{{.Name}}\t{{.ID}}'])).split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]));
      for (const n of [...model.networks]) {
        const id = networks.get(n.name);
        if (id) {
          n.exists = 'yes';
          n.id = id;
          networkIds.add(id);
        } else if (n.exists === 'maybe') model.networks.splice(model.networks.indexOf(n), 1);
        else problems.push(`${when}: network ${n.name} lost`);
      }
      const volumes = new Set((await engine.dockerOk(['volume', 'ls', '-q'])).split('\n').filter(Boolean));
      for (const v of [...model.volumes]) {
        if (volumes.has(v.name)) v.exists = 'yes';
        else if (v.exists === 'maybe') model.volumes.splice(model.volumes.indexOf(v), 1);
        else problems.push(`${when}: volume ${v.name} lost`);
      }
    };

    for (let i = 0; i < OPS; i++) {
      const op = model.plan();
      const kill = schedule.get(i);
      if (!kill) {
        judge(i, op, await docker(op.args));
        if (op.args[0] === 'network' && op.args[1] === 'create') networkIds.add(model.networks.at(-1)?.id ?? '');
        continue;
      }
      if (kill.duringMs !== undefined) {
        counts.killsDuring++;
        let answered = false;
        const pending = docker(op.args).finally(() => (answered = true));
        await sleep(kill.duringMs);
        const cut = !answered;
        await collectFromTraces();
        await engine.stopEngine('SIGKILL');
        const res = await pending;
        if (cut) {
          counts.interrupted++;
          op.interrupted();
        } else judge(i, op, res);
      } else {
        counts.killsBetween++;
        judge(i, op, await docker(op.args));
        await collectFromTraces();
        await engine.stopEngine('SIGKILL');
      }
      await timed('restarts', () => engine.startEngine());
      model.engineRestarted();
      await timed('checks', () => checkNoneLost(`after kill at op ${i} (${op.label})`));
      await collectFromTraces();
    }
    await checkNoneLost('at the end');
    await collectFromTraces();

    // remove everything, stop the engine cleanly: then nothing of it may be left on the host
    const ids = (await engine.dockerOk(['ps', '-aq'])).split('\n').filter(Boolean);
    if (ids.length > 0) await engine.dockerOk(['rm', '-f', ...ids]);
    const userNetworks = (await engine.dockerOk(['network', 'ls', '--format', '{{.Name}}'])).split('\n').filter((n) => n && !BUILTIN_NETWORKS.includes(n));
    if (userNetworks.length > 0) await engine.dockerOk(['network', 'rm', ...userNetworks]);
    const volumes = (await engine.dockerOk(['volume', 'ls', '-q'])).split('\n').filter(Boolean);
    if (volumes.length > 0) await engine.dockerOk(['volume', 'rm', ...volumes]);
    assert.equal((await engine.dockerOk(['ps', '-aq'])).trim(), '', 'containers left after rm -f');
    const exitCode = await engine.stopEngine('SIGTERM');
    if (exitCode !== 0) problems.push(`engine stop (SIGTERM) exited ${exitCode}`);

    const own = defaultBridge(engine.root);
    const bridges = [own.bridge, ...[...networkIds].filter(Boolean).map((id) => `br-${id.slice(0, 12)}`)];
    const leaks = await hostLeaks(engine, { containerIds: [...containerIds], bridges, veths: [...veths], chainPrefix: own.chainPrefix });
    problems.push(...leaks.map((l) => `leak: ${l}`));

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `      chaos: ${OPS} operations (${counts.expectedOk} must succeed, ${counts.expectedError} must fail, ${counts.either} may do either), ${counts.killsBetween + counts.killsDuring} kills (${counts.killsDuring} during an operation, ${counts.interrupted} cut one), ` +
        `${containerIds.size} containers, ${networkIds.size} networks, ${veths.size} veths; ${leaks.length} leaks; ${seconds} s ` +
        `(operations ${(spent.operations / 1000).toFixed(1)} s, engine starts ${(spent.restarts / 1000).toFixed(1)} s, checks ${(spent.checks / 1000).toFixed(1)} s)`,
    );
    assert.deepEqual(problems, [], `seed ${SEED}: replay with BOXLAB_CHAOS_SEED=${SEED} BOXLAB_CHAOS_OPS=${OPS}`);
  });
});
