// A container whose process cannot start, against boxlabd and Debian's dockerd 20.10: the container stays
// `created` and inspect's State.ExitCode says why as dockerd's daemon/start.go decides it: 127 for a
// missing command, 126 for one that cannot be run, 127 for a file mounted onto a folder (with dockerd's
// question appended to State.Error), and 128 for any other failure (an unknown --user), never 0.
// The same through docker-compose 1.29, which creates the container and then starts it.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';
import { compose, onBoxlabd, onDockerd, type ComposeEngine } from '../compose/compose-engines.js';

const CASES: Array<{ what: string; run: (dir: string) => string[] }> = [
  { what: 'a command that does not exist', run: () => ['busybox', 'nosuchcmd'] },
  { what: 'a command that is not executable', run: () => ['busybox', '/etc/passwd'] },
  { what: 'an unknown --user', run: () => ['--user', 'nosuchuser', 'busybox', 'true'] },
  { what: 'a file mounted onto a folder', run: (dir) => ['-v', `${path.join(dir, 'a-file')}:/etc`, 'busybox', 'true'] },
];

const STATE = '{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}';

describe('a container that cannot start: State.ExitCode and State.Error as dockerd 20.10 records them', function () {
  this.timeout(180_000);
  const engine = useEngine({ needs: ['dockerd'] });
  let dockerd: ReferenceDockerd;
  let engines: ComposeEngine[];

  before(async function () {
    dockerd = await ReferenceDockerd.start('boxlab-start-failure');
    engines = [onDockerd(dockerd), onBoxlabd(engine)];
    await fs.writeFile(path.join(engine.dir, 'a-file'), 'a file, not a folder\n');
  });
  after(async function () {
    this.timeout(90_000);
    await dockerd?.stop();
  });

  for (const [i, c] of CASES.entries()) {
    it(`docker run with ${c.what}: the same status and exit code on both engines, and docker run exits 125-127 alike`, async () => {
      const seen: Record<string, { run: number; state: string; error: string }> = {};
      for (const e of engines) {
        const name = `start-failure-${i}`;
        const res = await e.docker(['run', '--name', name, ...c.run(engine.dir)]);
        const state = (await e.docker(['inspect', '-f', `${STATE}|{{.State.Error}}`, name])).stdout.trim();
        await e.docker(['rm', '-f', name]);
        const [s, error] = state.split('|');
        seen[e.name] = { run: res.exitCode, state: s, error };
      }
      assert.equal(seen.boxlabd.state, seen.dockerd.state, `dockerd: ${JSON.stringify(seen.dockerd)}\nboxlabd: ${JSON.stringify(seen.boxlabd)}`);
      assert.equal(seen.boxlabd.run, seen.dockerd.run);
      assert.notEqual(seen.boxlabd.state.split(' ')[1], '0', 'a start that failed left ExitCode 0');
      assert.ok(seen.boxlabd.error !== '', 'State.Error is empty');
      // the part after runc's own words: dockerd's reason and, for a mount of the wrong type, its question
      const tail = (s: string) => s.slice(s.lastIndexOf(': unknown'));
      if (seen.dockerd.error.includes(': unknown')) assert.equal(tail(seen.boxlabd.error), tail(seen.dockerd.error));
      else assert.equal(seen.boxlabd.error, seen.dockerd.error);
    });
  }

  it('docker-compose up of a service with an unknown user: the container is created, not started, and its ExitCode is 128 on both', async () => {
    const codes: Record<string, string> = {};
    for (const e of engines) {
      const dir = path.join(engine.dir, `project-${e.name}`);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(
        path.join(dir, 'compose.yaml'),
        'version: "3.8"\nservices:\n  nouser:\n    image: busybox\n    user: nosuchuser\n    command: ["sleep", "60"]\n  nocmd:\n    image: busybox\n    command: nosuchcmd\n',
      );
      const up = await compose(e, dir, ['-p', 'startfail', 'up', '-d'], { allowFailure: true });
      assert.notEqual(up.exitCode, 0, `docker-compose up succeeded on ${e.name}`);
      const states = [];
      for (const c of ['startfail_nouser_1', 'startfail_nocmd_1']) states.push((await e.docker(['inspect', '-f', STATE, c])).stdout.trim());
      codes[e.name] = states.join(', ');
      await compose(e, dir, ['-p', 'startfail', 'down', '-t', '1'], { allowFailure: true });
    }
    assert.equal(codes.dockerd, 'created 128 false, created 127 false');
    assert.equal(codes.boxlabd, codes.dockerd);
  });
});
