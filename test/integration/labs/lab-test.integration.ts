// `boxlab lab test` on every lab in labs/ with the local provider: the snippets a student clicks run
// clean, each check fails before its solution and passes after; afterwards nothing the lab made is left
// (mounts, cgroups, processes). Labs that need the engine (front matter needs.engine) run against one
// boxlabd started for the test, with busybox loaded and the images the labs name baked once; the ones whose engine features do not work yet
// are listed in ENGINE_NOT_READY. The labs replay BOXLAB_LAB_REPLAY_JOBS at a time (default 3), each
// `lab test` its own process: two labs that name the same container, network, volume or image tag
// never run together, and what must be gone from the shared engine is checked once all have run.
// Each lab replays in every language of BOXLAB_LAB_REPLAY_LANGS (default en and zh). Multi-node labs
// (front matter `nodes:`) run on VMs: the e2e tier replays them (test/e2e/vm/swarm-labs.e2e.ts).
// Then one lab `lab test` whose snippet prints an error fails with that snippet's file:line.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultBridge } from '../../../src/engine/network/default-bridge.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { labEngineNames, labPrunes, labReadsPastEvents, runPool, shareEngineNames } from '../../helpers/lab-replay.js';
import { requires } from '../../helpers/requires.js';
import { planImages, withDefaultTag } from '../../../src/labs/lab-images.js';
import { checkLabSource } from '../../../src/labs/lab-validator.js';
import { bakeImageSource } from '../../../src/cli/lab-image-source.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const labsDir = path.join(repo, 'labs');

/** labs left out of CI until the engine feature they teach works in boxlabd (checked by running them) */
export const ENGINE_NOT_READY: Record<string, string> = {};

/** how many labs replay at once */
const JOBS = Math.max(1, Number(process.env.BOXLAB_LAB_REPLAY_JOBS ?? 3));
/** every lab replays in each of these languages (the student's language picks the snippets, the messages and the hints) */
const LANGS = (process.env.BOXLAB_LAB_REPLAY_LANGS ?? 'en,zh').split(',').map((l) => l.trim()).filter(Boolean);

/** BOXLAB_LAB_REPLAY_ONLY=10,26 replays only the labs whose names start with those prefixes (a lab author's run; ignored in CI, which replays all) */
const only = (process.env.CI === 'true' ? '' : (process.env.BOXLAB_LAB_REPLAY_ONLY ?? '')).split(',').map((p) => p.trim()).filter(Boolean);
/** a lab that declares nodes runs on several VMs: test/e2e/vm/swarm-labs.e2e.ts replays those, not this host */
const multiNode = (name: string) => checkLabSource(readFileSync(path.join(labsDir, name, 'lab.md'), 'utf8'), name).lab.nodes !== undefined;
const labNames = readdirSync(labsDir)
  .filter((n) => existsSync(path.join(labsDir, n, 'lab.md')))
  .filter((n) => !multiNode(n))
  .filter((n) => only.length === 0 || only.some((p) => n.startsWith(p)))
  .sort();
/** the images a lab's front matter names (needs: {images: [...]}) */
const labImages = (name: string): string[] =>
  (/^needs:.*images:\s*\[([^\]]*)\]/m.exec(readFileSync(path.join(labsDir, name, 'lab.md'), 'utf8'))?.[1] ?? '').split(',').map((i) => i.trim()).filter(Boolean);
const needsEngine = (name: string) => /^needs:.*engine:\s*true/m.test(readFileSync(path.join(labsDir, name, 'lab.md'), 'utf8'));

/** host commands a lab's front matter lists in needs.commands (e.g. docker-registry for lab 05) that are not installed */
function missingCommands(name: string): string[] {
  const list = /^needs:.*commands:\s*\[([^\]]*)\]/m.exec(readFileSync(path.join(labsDir, name, 'lab.md'), 'utf8'))?.[1] ?? '';
  return list
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && spawnSync('sh', ['-c', 'command -v "$1"', 'sh', c], { stdio: 'ignore' }).status !== 0);
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

async function labTest(name: string, env: Record<string, string>, dir = path.join(labsDir, name), lang = 'en'): Promise<{ report: Report; work: string }> {
  const work = `/tmp/boxlab-labs-it-${process.pid}-${name}-${lang}`;
  let out: string;
  const args = [path.join(repo, 'bin/run.js'), 'lab', 'test', dir, '--json', '--lang', lang];
  try {
    ({ stdout: out } = await promisify(execFile)('node', args, {
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
  return { report, work };
}

function assertClean(report: Report, work: string): void {
  assert.deepEqual(report.steps.filter((s) => !s.ok).map((s) => ({ step: s.stepId, problems: s.problems })), []);
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
  assert.equal(existsSync(work), false, 'teardown left the lab folder');
}

function engineNames(name: string): Set<string> {
  return labEngineNames(readFileSync(path.join(labsDir, name, 'lab.md'), 'utf8'));
}

interface Outcome {
  error?: unknown;
  skipped?: string;
  seconds: number;
}

describe(`boxlab lab test, every lab (local provider, ${JOBS} at a time)`, function () {
  // one engine for every lab that uses it; its after hook fails the suite when a container, mount or runc state leaked
  const engine = useEngine();
  const outcomes = new Map<string, Outcome>();
  const ready = labNames.filter((n) => !ENGINE_NOT_READY[n]);
  let imagesBefore: string[];
  let networksBefore: string[];
  let kernelBefore: ReturnType<typeof kernelNetworkState>;
  const images = async () => (await engine.dockerOk(['images', '-a', '--digests', '--format', '{{.Repository}}:{{.Tag}}@{{.Digest}} {{.ID}}'])).trim().split('\n').sort();
  const networks = async () => (await engine.dockerOk(['network', 'ls', '--format', '{{.Name}} {{.Driver}}'])).trim().split('\n').sort();

  /** the images the labs name in needs.images, baked once before the replays (else each `lab test` bakes its own, several at once) */
  async function bakeLabImages(labs: string[]): Promise<void> {
    const wanted = [...new Set(labs.flatMap(labImages))];
    const present = new Set((await images()).map((l) => l.split('@')[0]));
    const { recipes } = planImages(wanted.map(withDefaultTag).filter((i) => !present.has(i)), bakeImageSource.recipeFor);
    if (recipes.length > 0) await promisify(execFile)('node', [path.join(repo, 'bin/run.js'), 'image', 'bake', ...recipes, '--socket', engine.socketPath]);
  }

  before(async function () {
    requires(this, 'root', 'busybox', 'overlayfs');
    // a guard against a hang, not a speed target (npm run bench times the suite): about 20 min on a quiet CI machine
    this.timeout(2_700_000);
    await bakeLabImages(ready.filter(needsEngine));
    imagesBefore = await images();
    networksBefore = await networks();
    kernelBefore = kernelNetworkState(engine.root);
    const names = new Map(ready.map((n) => [n, engineNames(n)]));
    const started = Date.now();
    // one job per lab and language ("04-container-lifecycle zh"); the engine labs first: they take longest
    const labOf = (job: string) => job.split(' ')[0];
    const order = [...ready.filter(needsEngine), ...ready.filter((n) => !needsEngine(n))].flatMap((n) => LANGS.map((lang) => `${n} ${lang}`));
    // a lab's two languages never run together, nor a lab that prunes or reads past events with another
    // lab of the engine
    const alone = new Set(ready.filter((n) => [labPrunes, labReadsPastEvents].some((f) => f(readFileSync(path.join(labsDir, n, 'lab.md'), 'utf8')))));
    const engineLab = new Set(ready.filter(needsEngine));
    const conflict = (a: string, b: string) => {
      const [x, y] = [labOf(a), labOf(b)];
      return x === y || (alone.has(x) && engineLab.has(y)) || (alone.has(y) && engineLab.has(x)) || shareEngineNames(names.get(x)!, names.get(y)!);
    };
    await runPool(order, JOBS, conflict, async (job) => {
      const [name, lang] = job.split(' ');
      const t0 = Date.now();
      const absent = missingCommands(name);
      if (absent.length > 0) {
        outcomes.set(job, { skipped: `needs ${absent.join(', ')}`, seconds: 0 });
        return;
      }
      try {
        const env: Record<string, string> = needsEngine(name) ? { ...engine.env, BOXLAB_DOCKER_HOST: engine.env.DOCKER_HOST } : {};
        const { report, work } = await labTest(name, env, undefined, lang);
        assertClean(report, work);
        assertNothingLeft(work);
        outcomes.set(job, { seconds: (Date.now() - t0) / 1000 });
      } catch (error) {
        outcomes.set(job, { error, seconds: (Date.now() - t0) / 1000 });
      }
    });
    console.log(`      ${order.length} replays (${ready.length} labs in ${LANGS.join(' and ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${JOBS} at a time (${[...outcomes].map(([n, o]) => `${n.slice(0, 2)}${n.slice(n.indexOf(' '))} ${o.seconds.toFixed(0)} s`).join(', ')})`);
  });

  for (const job of labNames.flatMap((n) => LANGS.map((lang) => `${n} ${lang}`))) {
    const name = job.split(' ')[0];
    if (ENGINE_NOT_READY[name]) {
      it(`replays ${job} (not in CI: ${ENGINE_NOT_READY[name]})`);
      continue;
    }
    it(`replays ${job}`, function () {
      const o = outcomes.get(job);
      assert.ok(o, 'the lab did not run');
      if (o.skipped) {
        if (process.env.CI === 'true') throw new Error(`lab ${name} ${o.skipped}: CI must install it (.ci/run)`);
        console.log(`      skipped: lab ${name} ${o.skipped}`);
        this.skip();
      }
      if (o.error) throw o.error;
    });
  }

  it('leaves the shared engine as it found it: no container, image, network, bridge or iptables rule of a lab', async function () {
    this.timeout(60_000);
    assert.deepEqual((await engine.dockerOk(['ps', '-aq'])).trim(), '');
    assert.deepEqual(await images(), imagesBefore, 'teardown left images behind');
    assert.deepEqual(await networks(), networksBefore, 'teardown left networks behind');
    assert.deepEqual(await settledNetwork(engine.root, kernelBefore), kernelBefore, "the engine's bridge or iptables rules, or a named netns, stayed after teardown");
  });
});

/** a lab left nothing of its own on the host: no mount, no process rooted or running in its folder */
function assertNothingLeft(work: string): void {
  const mounts = execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' });
  assert.ok(!mounts.includes(work), 'teardown left a mount');
  // a process whose root is still inside the (deleted) lab folder is a leftover box
  const roots = execFileSync('sh', ['-c', 'for p in /proc/[0-9]*; do readlink "$p/root"; done 2>/dev/null || true'], { encoding: 'utf8' });
  assert.ok(!roots.includes(work), 'teardown left a process');
  assert.deepEqual(processesUsing(work), [], 'teardown left a process running');
}

describe('boxlab lab test runs the snippets a student clicks', function () {
  before(function () {
    requires(this, 'root');
  });

  it('fails a lab whose snippet prints an error a student would see, naming its file:line and showing its output', async function () {
    this.timeout(60_000);
    const { report } = await labTest('snippet-error', {}, path.join(repo, 'test/fixtures/labs/broken/snippet-error'));
    assert.equal(report.ok, false);
    assert.equal(report.steps[0].ok, false);
    assert.match(report.steps[0].problems[0], /^the snippet at \S*test\/fixtures\/labs\/broken\/snippet-error\/lab\.md:20 printed an error: grep: \/proc\/\d+: Is a directory; a student who clicks it sees:\n/);
  });
});

