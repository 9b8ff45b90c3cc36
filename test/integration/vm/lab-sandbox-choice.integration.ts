// Which sandbox `boxlab lab ...` runs in when nothing is said, through the CLI with a vm of provider
// "local" (no boot needed): the default vm "boxlab" once it exists, a refusal naming `boxlab vm start`
// once it is stopped, and this host with the no-VM-boundary warning once it is gone.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requires } from '../../helpers/requires.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const run = promisify(execFile);
const ROOT = REPO_ROOT;

describe('lab commands pick the default sandbox (CLI, local vm)', function () {
  this.timeout(120_000);
  let home: string;
  const boxlab = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BOXLAB_HOME: home, BOXLAB_LAB_DIR: path.join(home, 'work'), BOXLAB_LABS: path.join(ROOT, 'labs') };
    delete env.BOXLAB_VM;
    delete env.BOXLAB_PROVIDER;
    return run(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], { env });
  };

  before(async function () {
    requires(this, 'root', 'busybox');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-choice-'));
  });
  after(async () => {
    if (!home) return;
    await boxlab('vm', 'delete', 'boxlab').catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
  });

  it('uses the vm "boxlab" when it exists, refuses it stopped, and falls back to this host without it', async () => {
    await boxlab('vm', 'create', 'boxlab', '--provider', 'local');
    const start = await boxlab('lab', 'start', '01-containers-are-processes');
    assert.match(start.stderr, /provider "local" runs lab scripts directly on this host/, 'a local vm still warns');
    assert.match((await boxlab('lab', 'status')).stdout, /^sandbox: vm "boxlab" \(local\)$/m);

    await boxlab('vm', 'stop', 'boxlab');
    await assert.rejects(boxlab('lab', 'check'), (e: { stderr: string }) => {
      assert.match(e.stderr, /sandbox vm "boxlab" is stopped\n\s+hint: start it: boxlab vm start boxlab/);
      return true;
    });
    assert.match((await boxlab('lab', 'status')).stdout, /^sandbox: none: sandbox vm "boxlab" is stopped \(start it: boxlab vm start boxlab\)$/m);

    await boxlab('vm', 'delete', 'boxlab');
    assert.match((await boxlab('lab', 'status')).stdout, /^sandbox: this host \(no sandbox vm "boxlab": boxlab up creates it\)$/m);
    const reset = await boxlab('lab', 'reset');
    assert.match(reset.stderr, /no sandbox vm "boxlab" \(create it with: boxlab up\), so the lab runs on this host/);
    assert.match(reset.stderr, /there is no VM boundary/);
  });
});
