// `boxlab tutorial test` on every tutorial in tutorials/ with the local provider, against a boxlabd
// started for the test with busybox loaded: every step's exit code and output match the page.
// Tutorials whose engine feature does not work in boxlabd yet are listed in TUTORIALS_NOT_READY.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useEngine } from '../../helpers/engine-suite.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dir = path.join(repo, 'tutorials');

/** out of CI until boxlabd can do what they teach (name -> reason); empty: all four pass against boxlabd */
export const TUTORIALS_NOT_READY: Record<string, string> = {};

interface Report {
  ok: boolean;
  steps: { number: number; line: number; status: string; problems: string[] }[];
}

describe('boxlab tutorial test, every tutorial (local provider, boxlabd)', function () {
  before(function () {
    try {
      execFileSync('sh', ['-c', 'command -v docker-registry'], { stdio: 'ignore' });
    } catch {
      if (process.env.CI === 'true') throw new Error('needs docker-registry: CI must install it (.ci/run)');
      console.log('      skipped: needs docker-registry');
      this.skip();
    }
  });
  const engine = useEngine();

  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    if (TUTORIALS_NOT_READY[name]) {
      it(`replays ${name} (not in CI: ${TUTORIALS_NOT_READY[name]})`);
      continue;
    }
    it(`replays ${name}`, async function () {
      this.timeout(180_000);
      const work = `/tmp/boxlab-labs-tutorial-it-${process.pid}`;
      let out: string;
      try {
        ({ stdout: out } = await promisify(execFile)('node', [path.join(repo, 'bin/run.js'), 'tutorial', 'test', path.join(dir, name), '--json'], {
          env: { ...process.env, ...engine.env, BOXLAB_DOCKER_HOST: engine.env.DOCKER_HOST, BOXLAB_TUTORIAL_DIR: work, BOXLAB_PROVIDER: 'local' },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        }));
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        if (!e.stdout?.trim().startsWith('[')) assert.fail(`tutorial test failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
        out = e.stdout;
      }
      const [report] = JSON.parse(out) as Report[];
      assert.deepEqual(report.steps.filter((s) => s.status === 'failed').map((s) => ({ step: s.number, line: s.line, problems: s.problems })), []);
      assert.equal(report.ok, true);
      assert.equal(existsSync(work), false, 'the tutorial folder was not removed');
      // cleanup blocks removed what the tutorial made
      assert.deepEqual((await engine.dockerOk(['ps', '-aq'])).trim(), '');
    });
  }
});
