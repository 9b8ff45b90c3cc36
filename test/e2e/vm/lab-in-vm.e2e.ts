// Labs in the sandbox, as a learner drives them: `boxlab up --provider qemu --name labN` boots a vm, then
// `boxlab lab test labs/03-overlayfs --vm labN` (no --provider, no environment variable: the provider comes
// from the vm's record) replays the overlayfs lab inside it (mounts in the vm, not on this host) and the
// command ends by itself (the ssh connection is released). A vm that is absent or stopped is refused
// with the command that fixes it. Then one lab of each other track replays, two at a time on two vms (issue 13).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadLab } from '../../../src/labs/lab-loader.js';
import { parseTracks, TRACKS_FILE } from '../../../src/labs/lab-tracks.js';
import { requires } from '../../helpers/requires.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const run = promisify(execFile);

/**
 * one lab per track replayed in a vm (lab 03 above stands for foundations), each with its language: the
 * labs of a track share their tools, so the cheapest one under TCG that still teaches the track stands for
 * it (docs/lab-format.md, "The labs in a sandbox vm", says why each). The lab tier replays every lab in both
 * languages on the host; here en, and one zh. Longest first: two vms take them from one queue (ADR 0027
 * addendum), so both finish at about the same time. 18's cleanup step starts from what its expect-fail
 * snippet made: it replays with its snippets.
 */
const TRACK_LABS: Array<[track: string, lab: string, lang: 'en' | 'zh', snippets?: 'snippets']> = [
  ['compose', '28-compose-capstone', 'en'],
  ['storage', '20-sharing-and-backing-up-data', 'en'],
  ['networking', '18-networks-ports-and-links', 'en', 'snippets'],
  ['dockerfile-and-images', '24-managing-images', 'en'],
  ['docker-basics', '04-container-lifecycle', 'zh'],
  ['under-docker-run', '09-inside-docker-run', 'en'],
  ['engine-and-registries', '14-engine-api', 'en'],
];
/** the tracks replayed by another e2e file, on their own vms */
export const TRACKS_REPLAYED_ELSEWHERE: Record<string, string> = {
  swarm: 'swarm-labs.e2e.ts replays its labs on three docker nodes',
};
/** vms replaying at once: CI has two cores, and a replay keeps about one busy (one vCPU each) */
const REPLAY_VMS = 2;

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined); // rejected only when the vms never came up: each test awaits and shows it
  return { promise, resolve, reject };
}

interface Replay {
  stdout: string;
  stderr: string;
  seconds: number;
}
const ROOT = REPO_ROOT;
const BIN = path.join(ROOT, 'bin', 'run.js');

describe('labs in a qemu sandbox (e2e, TCG)', function () {
  this.timeout(300_000);
  let home: string;
  const vm = `lab${process.pid}`;
  const env = () => {
    const e: NodeJS.ProcessEnv = { ...process.env, BOXLAB_HOME: home, BOXLAB_QEMU_ACCEL: process.env.BOXLAB_QEMU_ACCEL ?? '' };
    delete e.BOXLAB_VM;
    delete e.BOXLAB_PROVIDER;
    return e;
  };
  const lab03 = path.join(ROOT, 'labs', '03-overlayfs');
  const boxlab = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: env(), maxBuffer: 1 << 24, timeout: 240_000 });

  // the other vms the track labs replay on, booted while lab 03 replays in the first
  const others = Array.from({ length: REPLAY_VMS - 1 }, (_, i) => `${vm}-${i + 2}`);
  let othersUp: Promise<unknown> | undefined;
  const up = (name: string) => boxlab('up', '--name', name, '--provider', 'qemu', '--cpus', '1', '--memory', '1G');

  before(async function () {
    requires(this, 'root', 'qemu');
    this.timeout(900_000);
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-e2e-lab-'));
    // the first builds the image when it is not cached; the others reuse it
    await up(vm);
    othersUp = Promise.all(others.map(up));
    othersUp.catch(() => undefined); // awaited (and its error shown) by the first track replay
  });

  after(async () => {
    if (!home) return;
    await boxlab('vm', 'delete', vm, ...others).catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
  });

  it('replays lab 03 (overlayfs) inside the vm and leaves no overlay mount on this host', async () => {
    const r = await boxlab('lab', 'test', lab03, '--vm', vm, '--json');
    const [report] = JSON.parse(r.stdout) as Array<{ ok: boolean }>;
    assert.equal(report!.ok, true, r.stdout);
    // the lab's mounts happened in the vm: none under the lab folder here
    const hostMounts = execFileSync('cat', ['/proc/self/mounts']).toString();
    assert.doesNotMatch(hostMounts, /boxlab-lab\/03-overlayfs/);
    // the lab's commands, including the ones that run nothing in the sandbox, take the same --vm
    await boxlab('lab', 'start', lab03, '--vm', vm);
    const status = await boxlab('lab', 'status', '--vm', vm);
    assert.match(status.stdout, new RegExp(`sandbox: vm "${vm}" \\(qemu\\)`));
    await boxlab('lab', 'hint', '--vm', vm);
  });

  it('names every track of labs/tracks.yaml once: replayed here (lab 03 and the list below) or not yet, with why', async () => {
    const { tracks } = parseTracks(await fs.readFile(path.join(ROOT, 'labs', TRACKS_FILE), 'utf8'), TRACKS_FILE);
    const replayed = [['foundations', '03-overlayfs'], ...TRACK_LABS.map(([track, lab]) => [track, lab])];
    for (const [track, lab] of replayed) assert.equal((await loadLab(path.join(ROOT, 'labs', lab!))).lab.track, track, lab);
    assert.deepEqual([...replayed.map(([track]) => track), ...Object.keys(TRACKS_REPLAYED_ELSEWHERE)].sort(), tracks.map((t) => t.id).sort());
  });

  // labs of other tracks (issue 13), on the vms, two at a time: solutions and checks (each check fails before
  // its step and passes after); the snippets are the lab tier's, on the host, in both languages (but 18's)
  let replays: Map<string, Promise<Replay>> | undefined;
  function replayAll(): Map<string, Promise<Replay>> {
    const queue = [...TRACK_LABS];
    const done = new Map(TRACK_LABS.map(([, lab]) => [lab, deferred<Replay>()]));
    const replayOn = async (name: string) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [, lab, lang, snippets] = next;
        const started = Date.now();
        const r = await run(process.execPath, [BIN, 'lab', 'test', path.join(ROOT, 'labs', lab), '--vm', name, '--lang', lang, snippets ? '--snippets' : '--no-snippets', '--json'], { env: env(), maxBuffer: 1 << 24, timeout: 1_500_000 }).catch(
          (e: { stdout?: string; stderr?: string; message: string }) => ({ stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}\n${e.message}` }),
        );
        done.get(lab)!.resolve({ stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 });
      }
    };
    void othersUp!.then(
      () => Promise.all([vm, ...others].map(replayOn)),
      (e: Error) => { for (const d of done.values()) d.reject(new Error(`the other vms did not come up: ${e.message}`)); },
    );
    return new Map([...done].map(([lab, d]) => [lab, d.promise]));
  }

  for (const [track, lab, lang] of TRACK_LABS) {
    it(`replays ${lab} (track ${track}) inside a vm, in ${lang}`, async function () {
      // waits for its turn on one of the vms: under TCG on a busy host a lab took up to 13 minutes (lab 28, load 12)
      this.timeout(2_400_000);
      replays ??= replayAll();
      const r = await replays.get(lab)!;
      console.log(`      ${lab}: ${r.seconds.toFixed(0)} s`);
      const [report] = JSON.parse(r.stdout || '[{}]') as Array<{ ok: boolean; problems: string[]; steps: Array<{ stepId: string; ok: boolean; problems: string[] }> }>;
      assert.ok(report?.steps, `lab test printed no report: ${r.stderr}`);
      assert.deepEqual(report!.steps.filter((s) => !s.ok).map((s) => ({ step: s.stepId, problems: s.problems })), [], r.stderr);
      assert.deepEqual(report!.problems, []);
      assert.equal(report!.ok, true);
    });
  }

  it('says how to create the sandbox when the named vm does not exist', async () => {
    await assert.rejects(
      boxlab('lab', 'test', lab03, '--vm', 'absent', '--provider', 'qemu'),
      (e: { stderr: string }) => /sandbox vm "absent" does not exist/.test(e.stderr) && /boxlab vm create absent --provider qemu/.test(e.stderr),
    );
  });

  it('refuses a stopped vm, naming it and `boxlab vm start`', async () => {
    await boxlab('vm', 'stop', vm);
    await assert.rejects(boxlab('lab', 'check', '--vm', vm), (e: { stderr: string }) => {
      assert.match(e.stderr, new RegExp(`sandbox vm "${vm}" is stopped`));
      assert.match(e.stderr, new RegExp(`boxlab vm start ${vm}`));
      return true;
    });
  });
});
