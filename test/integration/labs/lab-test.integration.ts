// `boxlab lab test` on every lab in labs/ with the local provider: each check fails before its
// solution and passes after; afterwards nothing the lab made is left (mounts, cgroups, processes).
// Labs that need the engine (front matter needs.engine) run against a boxlabd started for the test,
// with busybox loaded; the ones whose engine features do not work yet are listed in ENGINE_NOT_READY.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultBridge } from '../../../src/engine/network/default-bridge.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { requires } from '../../helpers/requires.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const labsDir = path.join(repo, 'labs');

/** labs left out of CI until the engine feature they teach works in boxlabd (checked by running them) */
export const ENGINE_NOT_READY: Record<string, string> = {};

const labNames = readdirSync(labsDir).filter((n) => existsSync(path.join(labsDir, n, 'lab.md'))).sort();
const needsEngine = (name: string) => /^needs:.*engine:\s*true/m.test(readFileSync(path.join(labsDir, name, 'lab.md'), 'utf8'));

/** host commands a lab's front matter lists in needs.commands (e.g. docker-registry for lab 05) that are not installed */
function missingCommands(name: string): string[] {
  const list = /^needs:.*commands:\s*\[([^\]]*)\]/m.exec(readFileSync(path.join(labsDir, name, 'lab.md'), 'utf8'))?.[1] ?? '';
  return list
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && spawnSync('sh', ['-c', 'command -v "$1"', 'sh', c], { stdio: 'ignore' }).status !== 0);
}

/** skips (or in CI fails, like requires()) a lab whose commands are missing */
function requireCommands(ctx: Mocha.Context, name: string): void {
  const absent = missingCommands(name);
  if (absent.length === 0) return;
  if (process.env.CI === 'true') throw new Error(`lab ${name} needs ${absent.join(', ')}: CI must install it (.ci/run)`);
  console.log(`      skipped: lab ${name} needs ${absent.join(', ')}`);
  ctx.skip();
}

/** processes whose command line names the lab's folder (a registry or server a lab started and did not stop) */
function processesUsing(work: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // exited while we looked
    }
    if (cmdline.includes(work)) found.push(`${pid}: ${cmdline.trim()}`);
  }
  return found;
}

/** what the engine's network plane left in the kernel: its iptables lines (own chain prefix), whether its default bridge exists, named netns */
function kernelNetworkState(root: string): { rules: string[]; bridge: boolean; netns: string[] } {
  const { bridge, chainPrefix } = defaultBridge(root);
  const rules = execFileSync('iptables-save', { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`${chainPrefix}-`))
    .sort();
  // named namespaces (`ip netns add`, as lab 08's outside world) hold their veths: none may stay
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  return { rules, bridge: spawnSync('ip', ['link', 'show', 'dev', bridge], { stdio: 'ignore' }).status === 0, netns };
}

/** an idle engine drops its default bridge and chains after about 2 s: wait for the state before the lab */
async function settledNetwork(root: string, before: ReturnType<typeof kernelNetworkState>): Promise<ReturnType<typeof kernelNetworkState>> {
  let now = kernelNetworkState(root);
  for (let i = 0; i < 40 && JSON.stringify(now) !== JSON.stringify(before); i++) {
    await new Promise((r) => setTimeout(r, 250));
    now = kernelNetworkState(root);
  }
  return now;
}

interface Report {
  ok: boolean;
  steps: { stepId: string; ok: boolean; problems: string[] }[];
  problems: string[];
}

async function labTest(name: string, env: Record<string, string>): Promise<{ report: Report; work: string }> {
  const work = `/tmp/boxlab-labs-it-${process.pid}-${name}`;
  let out: string;
  try {
    ({ stdout: out } = await promisify(execFile)('node', [path.join(repo, 'bin/run.js'), 'lab', 'test', path.join(labsDir, name), '--json'], {
      env: { ...process.env, ...env, BOXLAB_LAB_DIR: work, BOXLAB_HOME: `${work}-home`, BOXLAB_PROVIDER: 'local' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (err) {
    // exit 1 with a JSON report: the assertions below show its problems; anything else is shown raw
    const e = err as { stdout?: string; stderr?: string };
    if (!e.stdout?.trim().startsWith('[')) assert.fail(`lab test failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    out = e.stdout;
  } finally {
    execFileSync('rm', ['-rf', `${work}-home`]);
  }
  const [report] = JSON.parse(out) as Report[];
  assert.deepEqual(report.steps.filter((s) => !s.ok).map((s) => ({ step: s.stepId, problems: s.problems })), []);
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
  assert.equal(existsSync(work), false, 'teardown left the lab folder');
  return { report, work };
}

describe('boxlab lab test, every lab (local provider)', function () {
  before(function () {
    requires(this, 'root', 'busybox', 'overlayfs');
  });

  for (const name of labNames.filter((n) => !needsEngine(n))) {
    it(`replays ${name}`, async function () {
      this.timeout(120_000);
      const { work } = await labTest(name, {});
      const mounts = execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' });
      assert.ok(!mounts.includes(work), 'teardown left a mount');
      // a process whose root is still inside the (deleted) lab folder is a leftover box
      const roots = execFileSync('sh', ['-c', 'for p in /proc/[0-9]*; do readlink "$p/root"; done 2>/dev/null || true'], { encoding: 'utf8' });
      assert.ok(!roots.includes(work), 'teardown left a process');
    });
  }
});

describe('boxlab lab test, labs that use the docker CLI against boxlabd (local provider)', function () {
  // its after hook fails the suite when a container, mount or runc state leaked
  const engine = useEngine();

  for (const name of labNames.filter(needsEngine)) {
    if (ENGINE_NOT_READY[name]) {
      it(`replays ${name} (not in CI: ${ENGINE_NOT_READY[name]})`);
      continue;
    }
    it(`replays ${name}`, async function () {
      requireCommands(this, name);
      this.timeout(180_000);
      const images = async () => (await engine.dockerOk(['images', '-a', '--digests', '--format', '{{.Repository}}:{{.Tag}}@{{.Digest}} {{.ID}}'])).trim().split('\n').sort();
      const networks = async () => (await engine.dockerOk(['network', 'ls', '--format', '{{.Name}} {{.Driver}}'])).trim().split('\n').sort();
      const imagesBefore = await images();
      const networksBefore = await networks();
      const kernelBefore = kernelNetworkState(engine.root);
      const { work } = await labTest(name, { ...engine.env, BOXLAB_DOCKER_HOST: engine.env.DOCKER_HOST });
      // the lab's teardown removed every container, image (tags, digests, build cache) and process it made
      assert.deepEqual((await engine.dockerOk(['ps', '-aq'])).trim(), '');
      assert.deepEqual(await images(), imagesBefore, 'teardown left images behind');
      assert.deepEqual(processesUsing(work), [], 'teardown left a process running');
      // ... every network, and the engine's bridges and iptables rules went with them (`ip link`, `iptables-save`)
      assert.deepEqual(await networks(), networksBefore, 'teardown left networks behind');
      assert.deepEqual(await settledNetwork(engine.root, kernelBefore), kernelBefore, "the engine's bridge or iptables rules, or a named netns, stayed after teardown");
    });
  }
});
