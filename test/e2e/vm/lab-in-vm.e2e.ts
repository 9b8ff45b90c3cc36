// Labs in the sandbox, as a learner drives them: `boxlab up --provider qemu` boots the default vm
// "boxlab", then `boxlab lab test labs/03-overlayfs --provider qemu` replays the overlayfs lab inside it
// (mounts in the vm, not on this host) and the command ends by itself (the ssh connection is released).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requires } from '../../helpers/requires.js';

const run = promisify(execFile);
const here = fileURLToPath(import.meta.url);
const ROOT = here.slice(0, here.lastIndexOf(`${path.sep}dist${path.sep}`));
const BIN = path.join(ROOT, 'bin', 'run.js');

describe('labs in a qemu sandbox (e2e, TCG)', function () {
  this.timeout(300_000);
  let home: string;
  const vm = `lab${process.pid}`;
  const env = () => ({ ...process.env, BOXLAB_HOME: home, BOXLAB_VM: vm, BOXLAB_QEMU_ACCEL: process.env.BOXLAB_QEMU_ACCEL ?? '' });
  const boxlab = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: env(), maxBuffer: 1 << 24, timeout: 240_000 });

  before(async function () {
    requires(this, 'root', 'qemu');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-e2e-lab-'));
  });

  after(async () => {
    if (!home) return;
    await boxlab('vm', 'delete', vm).catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
  });

  it('replays lab 03 (overlayfs) inside the vm and leaves no overlay mount on this host', async () => {
    await boxlab('up', '--name', vm, '--provider', 'qemu', '--cpus', '1', '--memory', '1G');
    const r = await boxlab('lab', 'test', path.join(ROOT, 'labs', '03-overlayfs'), '--provider', 'qemu', '--json');
    const [report] = JSON.parse(r.stdout) as Array<{ ok: boolean }>;
    assert.equal(report!.ok, true, r.stdout);
    // the lab's mounts happened in the vm: none under the lab folder here
    const hostMounts = execFileSync('cat', ['/proc/self/mounts']).toString();
    assert.doesNotMatch(hostMounts, /boxlab-lab\/03-overlayfs/);
  });

  it('says how to create the sandbox when the named vm does not exist', async () => {
    await assert.rejects(
      run(process.execPath, [BIN, 'lab', 'test', path.join(ROOT, 'labs', '03-overlayfs'), '--provider', 'qemu'], { env: { ...env(), BOXLAB_VM: 'absent' } }),
      (e: { stderr: string }) => /sandbox vm "absent" does not exist/.test(e.stderr) && /boxlab vm create absent --provider qemu/.test(e.stderr),
    );
  });
});
