// What a learner reads when the sandbox cannot be used, through the real CLI with a fake `multipass`
// (test/fixtures/outputs/multipass/fake-multipass.mjs): multipass not installed, its daemon not running
// under an existing vm, a vm whose create was killed, and a --vm that names no vm. Each message names
// the problem and the fix.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { multipassFixture } from '../vm/providers/multipass/fixture-path.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';

const run = promisify(execFile);
const BIN = BOXLAB_BIN;

describe('sandbox errors in the CLI (fake multipass)', function () {
  this.timeout(120_000);
  let dir: string;
  const boxlab = (env: Record<string, string>, ...args: string[]) => {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      BOXLAB_HOME: path.join(dir, 'home'),
      BOXLAB_MULTIPASS: multipassFixture('fake-multipass.mjs'),
      FAKE_MULTIPASS_STATE: path.join(dir, 'multipass.json'),
      ...env,
    };
    delete e.BOXLAB_VM;
    delete e.BOXLAB_PROVIDER;
    return run(process.execPath, [BIN, ...args], { env: e });
  };
  const stderrOf = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (err) {
      return (err as { stderr: string }).stderr;
    }
    assert.fail('the command succeeded');
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-cli-sandbox-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('multipass not installed: says so and how to install it or pick qemu', async () => {
    const err = await stderrOf(boxlab({ BOXLAB_MULTIPASS: path.join(dir, 'no-multipass') }, 'vm', 'create', 'mp0', '--provider', 'multipass'));
    assert.match(err, /multipass is not installed/);
    assert.match(err, /install it: https:\/\/multipass\.run\/install/);
    assert.match(err, /--provider qemu/);
  });

  it('a lab command on a multipass vm whose daemon is down: the daemon, and how to start it', async () => {
    await boxlab({}, 'vm', 'create', 'mp1', '--provider', 'multipass', '--memory', '512M');
    const err = await stderrOf(boxlab({ FAKE_MULTIPASS_DOWN: '1' }, 'lab', 'check', '--vm', 'mp1'));
    assert.match(err, /sandbox vm "mp1" cannot be reached: the multipass daemon is not running/);
    assert.match(err, /sudo snap start multipass/);
    await boxlab({}, 'vm', 'delete', 'mp1');
  });

  it('a vm whose create was killed: vm list shows it broken with the fix, lab commands refuse it, delete cleans it', async () => {
    const vmDir = path.join(dir, 'home', 'vms', 'half');
    await fs.mkdir(vmDir, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const record = { name: 'half', provider: 'local', phase: 'creating', createdAt: '', spec: { cpus: 1, memoryMiB: 512 }, data: { creatorPid: gone } };
    await fs.writeFile(path.join(vmDir, 'vm.json'), JSON.stringify(record));
    const list = await boxlab({}, 'vm', 'list');
    assert.match(list.stdout, /^half\s+local\s+broken\s/m);
    assert.match(list.stderr, /half: its create was interrupted; clean it up: boxlab vm delete half/);
    assert.match(await stderrOf(boxlab({}, 'lab', 'check', '--vm', 'half')), /sandbox vm "half" is half-created: its create was interrupted/);
    await boxlab({}, 'vm', 'delete', 'half');
    assert.doesNotMatch((await boxlab({}, 'vm', 'list')).stdout, /half/);
  });

  it('--vm naming no vm: names it and the create command', async () => {
    const err = await stderrOf(boxlab({}, 'lab', 'check', '--vm', 'nope'));
    assert.match(err, /sandbox vm "nope" does not exist/);
    assert.match(err, /create it: boxlab vm create nope/);
  });
});
