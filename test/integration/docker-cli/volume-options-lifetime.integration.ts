// A local volume created with options (`docker volume create --opt type=tmpfs`) against boxlabd and
// Debian's dockerd 20.10: its mount lives while containers that use it run. A file written by one
// container is seen by the next while another container keeps the volume in use; once the last user
// stops, the tmpfs comes off the volume's folder and the next container finds the volume empty.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import type { RunResult } from '../../../src/core/exec.js';

interface Docker {
  name: string;
  docker(args: string[]): Promise<RunResult>;
}

async function ok(e: Docker, args: string[]): Promise<string> {
  const res = await e.docker(args);
  if (res.exitCode !== 0) throw new Error(`docker ${args.join(' ')} on ${e.name} exited ${res.exitCode}: ${res.stderr}`);
  return res.stdout.trim();
}

const mounted = async (dir: string) => (await fs.readFile('/proc/mounts', 'utf8')).split('\n').some((l) => l.split(' ')[1] === dir);

describe('a tmpfs volume (volume create --opt type=tmpfs) is unmounted when its last container stops, as in dockerd 20.10', function () {
  this.timeout(180_000);
  const engine = useEngine({ needs: ['dockerd'] });
  let dockerd: ReferenceDockerd;

  before(async function () {
    dockerd = await ReferenceDockerd.start('boxlab-volume-options');
  });
  after(async function () {
    this.timeout(90_000);
    await dockerd?.stop();
  });

  it('kept while a container uses it, empty (and off the host) after the last one stops', async () => {
    const seen: Record<string, string[]> = {};
    for (const e of [{ name: 'dockerd', docker: (a: string[]) => dockerd.docker(a) }, { name: 'boxlabd', docker: (a: string[]) => engine.docker(a) }] as Docker[]) {
      await ok(e, ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=1m', 'scratch']);
      const dir = await ok(e, ['volume', 'inspect', '-f', '{{.Mountpoint}}', 'scratch']);
      await ok(e, ['run', '-d', '--name', 'keeper', '-v', 'scratch:/d', 'busybox', 'sleep', '600']);
      await ok(e, ['run', '--rm', '-v', 'scratch:/d', 'busybox', 'sh', '-c', 'echo kept > /d/file']);
      const whileUsed = await ok(e, ['run', '--rm', '-v', 'scratch:/d', 'busybox', 'ls', '/d']);
      const mountedWhileUsed = await mounted(dir);
      await ok(e, ['stop', '-t', '1', 'keeper']);
      const mountedAfter = await mounted(dir);
      const afterLastStop = await ok(e, ['run', '--rm', '-v', 'scratch:/d', 'busybox', 'ls', '/d']);
      await ok(e, ['rm', 'keeper']);
      await ok(e, ['volume', 'rm', 'scratch']);
      seen[e.name] = [`while used: [${whileUsed}] mounted=${mountedWhileUsed}`, `after the last stop: mounted=${mountedAfter}`, `next container: [${afterLastStop}]`];
    }
    assert.deepEqual(seen.dockerd, ['while used: [file] mounted=true', 'after the last stop: mounted=false', 'next container: []']);
    assert.deepEqual(seen.boxlabd, seen.dockerd);
  });
});
