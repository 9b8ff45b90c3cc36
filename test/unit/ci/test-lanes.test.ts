// `npm test` runs the e2e tier in three lanes at once (scripts/run-tests.sh, ADR 0033), each with its own
// mocha config: every e2e file must be in exactly one lane, or CI silently skips it (or runs it twice).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isIgnored, parseDockerignore } from '../../../src/engine/builder/dockerignore.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const LANES = ['.mocharc.e2e-host.json', '.mocharc.e2e-vm.json', '.mocharc.e2e-swarm.json'];

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** does one of a mocha config's spec globs name the file? (read with the project's glob matcher, the .dockerignore one: a star within a segment, two stars for any folders) */
async function specMatcher(config: string): Promise<(file: string) => boolean> {
  const { spec } = JSON.parse(await fs.readFile(path.join(REPO_ROOT, config), 'utf8')) as { spec: string[] };
  const patterns = parseDockerignore(spec.join('\n'));
  return (file) => isIgnored(file, patterns);
}

describe('the e2e lanes of npm test', () => {
  it('reads the globs the lane configs use as mocha does', () => {
    const matches = (glob: string, file: string) => isIgnored(file, parseDockerignore(glob));
    assert.ok(matches('dist/test/e2e/*.e2e.js', 'dist/test/e2e/quick-start.e2e.js'));
    assert.ok(!matches('dist/test/e2e/*.e2e.js', 'dist/test/e2e/web/web-lab.e2e.js'));
    assert.ok(!matches('dist/test/e2e/*.e2e.js', 'dist/test/e2e/quick-start.e2e.js.map'));
    assert.ok(matches('dist/test/e2e/web/**/*.e2e.js', 'dist/test/e2e/web/web-lab.e2e.js'));
    assert.ok(matches('dist/test/e2e/web/**/*.e2e.js', 'dist/test/e2e/web/a/b.e2e.js'));
    assert.ok(!matches('dist/test/e2e/vm/swarm-labs.e2e.js', 'dist/test/e2e/vm/swarm-labsXe2e.js'));
  });

  it('put every e2e file of the whole e2e config in exactly one lane', async () => {
    const inE2e = await specMatcher('.mocharc.e2e.json');
    const files = (await filesUnder(path.join(REPO_ROOT, 'dist/test/e2e'))).map((f) => path.relative(REPO_ROOT, f)).filter(inE2e);
    assert.ok(files.length >= 10, `found the e2e files: ${files.join(', ')}`);
    const lanes = await Promise.all(LANES.map(specMatcher));
    for (const f of files) {
      const holders = LANES.filter((_, i) => lanes[i]!(f));
      assert.equal(holders.length, 1, `${f} is in ${holders.length === 0 ? 'no lane' : holders.join(' and ')}`);
    }
  });

  it('are the lanes scripts/run-tests.sh runs', async () => {
    const script = await fs.readFile(path.join(REPO_ROOT, 'scripts/run-tests.sh'), 'utf8');
    const pkg = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.test, 'scripts/run-tests.sh');
    for (const config of LANES) {
      const [name] = Object.entries(pkg.scripts).find(([, cmd]) => cmd === `mocha --config ${config}`) ?? [];
      assert.ok(name, `package.json has a script for ${config}`);
      assert.match(script, new RegExp(`^lane \\w+ .*\\b${name}\\b`, 'm'), `run-tests.sh runs ${name}`);
    }
  });
});
