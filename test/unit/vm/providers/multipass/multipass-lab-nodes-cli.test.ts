// `boxlab lab start|stop` of a multi-node lab through the real CLI, with the fake multipass on
// BOXLAB_MULTIPASS (nothing here runs a lab's scripts: each case stops before, or is `lab stop`):
// --provider local/ssh refused with the lab, its nodes and what to use (en, zh); BOXLAB_PROVIDER=local
// (the single-node sandbox) does not choose the nodes' provider; nodes made with multipass are not taken
// for qemu's; `lab stop` says what each multipass node frees: the memory it was given.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { multipassFixture } from './fixture-path.js';
import { BOXLAB_BIN, REPO_ROOT } from '../../../../helpers/repo-paths.js';

const run = promisify(execFile);

describe('lab start/stop of a multi-node lab with multipass (fake multipass, real CLI)', function () {
  this.timeout(180_000);
  let dir: string;
  const boxlab = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BOXLAB_HOME: path.join(dir, 'home'), BOXLAB_LABS: path.join(dir, 'labs'), BOXLAB_MULTIPASS: multipassFixture('fake-multipass.mjs'), FAKE_MULTIPASS_STATE: path.join(dir, 'multipass.json') };
    for (const k of ['BOXLAB_VM', 'BOXLAB_PROVIDER', 'BOXLAB_VM_PROVIDER', 'BOXLAB_LAB_DIR']) delete env[k];
    return run(process.execPath, [BOXLAB_BIN, ...args], { env: { ...env, ...extra } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-mp-labnodes-'));
    // the parser's two-node fixture, its first node too big for any host: a start that gets past the
    // provider's choice stops at the memory preflight, before any vm is made
    const lab = await fs.readFile(path.join(REPO_ROOT, 'test/fixtures/labs/valid/two-nodes/lab.md'), 'utf8');
    await fs.mkdir(path.join(dir, 'labs', 'two-nodes'), { recursive: true });
    await fs.writeFile(path.join(dir, 'labs', 'two-nodes', 'lab.md'), lab.replace('memory: 1536M', 'memory: 4000G'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('refuses --provider local and ssh for a multi-node lab, with the way out, in en and zh', async () => {
    const en = await boxlab(['lab', 'start', 'two-nodes', '--provider', 'local']);
    assert.equal(en.code, 1);
    assert.match(en.stderr, /lab "two-nodes" runs on 3 vms \(manager1, worker1, plain\) on one lab network: --provider local cannot make them/);
    assert.match(en.stderr, /boxlab lab start two-nodes --provider qemu/);
    const zh = await boxlab(['lab', 'start', 'two-nodes', '--provider', 'ssh', '--lang', 'zh']);
    assert.match(zh.stderr, /实验 "two-nodes" 运行在同一个实验网络上的 3 台虚拟机上（manager1, worker1, plain）：--provider ssh 造不出它们/);
  });

  it('BOXLAB_PROVIDER=local names the sandbox of single-node labs: a multi-node lab goes on to its memory preflight', async () => {
    const r = await boxlab(['lab', 'start', 'two-nodes'], { BOXLAB_PROVIDER: 'local' });
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /cannot make them/);
    assert.match(r.stderr, /not enough memory for lab "two-nodes": its nodes need \d+ MiB \(manager1 4096000\+128, worker1 1536\+128, plain 1024\+128\)/);
    assert.deepEqual(await fs.readdir(path.join(dir, 'home', 'vms')).catch(() => []), []);
  });

  it("refuses qemu for nodes multipass made, and lab stop says each frees the memory it was given", async () => {
    const made = await boxlab(['vm', 'create', 'manager1', 'worker1', 'worker2', '--network', 'l30-swarm', '--engine', 'docker', '--memory', '1536M', '--cpus', '1', '--provider', 'multipass']);
    assert.equal(made.code, 0, made.stderr);
    const labs = { BOXLAB_LABS: path.join(REPO_ROOT, 'labs') };
    const qemu = await boxlab(['lab', 'start', '30', '--provider', 'qemu'], labs);
    assert.equal(qemu.code, 1);
    assert.match(qemu.stderr, /vm "manager1" exists but is not this lab's node: it runs on multipass, the lab's nodes on qemu/);
    const stop = await boxlab(['lab', 'stop', '30'], labs);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /^lab "30-swarm-cluster": 3 node\(s\) stopped, 4608 MiB of memory freed on this host$/m);
    assert.match(stop.stdout, /^ {2}worker2: stopped \(1536 MiB freed: the memory its vm was given\)$/m);
    await boxlab(['vm', 'start', 'worker1']);
    const zh = await boxlab(['lab', 'stop', '30', '--lang', 'zh'], labs);
    assert.match(zh.stdout, /实验 "30-swarm-cluster"：停止了 1 个节点，本机释放了 1536 MiB 内存/);
    assert.match(zh.stdout, /worker1：已停止（释放 1536 MiB：分给这台虚拟机的内存）/);
    assert.match(zh.stdout, /manager1：本来就已停止/);
  });
});
