// `boxlab vm create n1 n2 --network labnet --provider multipass` through the real CLI with the fake
// multipass on BOXLAB_MULTIPASS: once both vms exist, each one's /etc/hosts (the fake's per-instance
// file, never this host's) names the other with its multipass address, and `vm list --json` shows the
// network and the addresses. Also: `--engine docker` launches with the docker variant of the cloud-init.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { multipassFixture } from './fixture-path.js';
import { BOXLAB_BIN } from '../../../../helpers/repo-paths.js';

const run = promisify(execFile);
const BIN = BOXLAB_BIN;

describe('vm create --network with multipass (fake multipass, real CLI)', function () {
  this.timeout(180_000);
  let dir: string;
  const state = () => path.join(dir, 'multipass.json');
  const boxlab = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BOXLAB_HOME: path.join(dir, 'home'), BOXLAB_MULTIPASS: multipassFixture('fake-multipass.mjs'), FAKE_MULTIPASS_STATE: state() };
    delete env.BOXLAB_VM;
    delete env.BOXLAB_PROVIDER;
    delete env.BOXLAB_VM_PROVIDER;
    return run(process.execPath, [BIN, ...args], { env });
  };
  const hostsOf = (name: string) => fs.readFile(`${state()}.d/${name}/etc/hosts`, 'utf8');

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-mpnet-'));
  });
  after(async () => {
    await boxlab('vm', 'delete', 'n1').catch(() => undefined);
    await boxlab('vm', 'delete', 'n2').catch(() => undefined);
    await boxlab('vm', 'delete', 'd1').catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("n1's /etc/hosts names n2 with n2's address, and vm list --json shows the network and addresses", async () => {
    await boxlab('vm', 'create', 'n1', 'n2', '--network', 'labnet', '--provider', 'multipass', '--memory', '512M');
    const list = JSON.parse((await boxlab('vm', 'list', '--json')).stdout) as Array<{ name: string; network?: string; address?: string; peers?: Record<string, string> }>;
    const n1 = list.find((v) => v.name === 'n1')!;
    const n2 = list.find((v) => v.name === 'n2')!;
    assert.equal(n1.network, 'labnet');
    assert.match(n2.address ?? '', /^10\.76\.13\.\d+$/);
    assert.notEqual(n1.address, n2.address);
    assert.deepEqual(n1.peers, { n1: n1.address, n2: n2.address });
    assert.match(await hostsOf('n1'), new RegExp(`^${n2.address!.replaceAll('.', '\\.')} +n2$`, 'm'));
    assert.match(await hostsOf('n2'), new RegExp(`^${n1.address!.replaceAll('.', '\\.')} +n1$`, 'm'));

    // creating the same network again (idempotent) rewrites the block, it does not add a second one
    await boxlab('vm', 'create', 'n1', 'n2', '--network', 'labnet', '--provider', 'multipass', '--memory', '512M');
    assert.equal((await hostsOf('n1')).split('boxlab lab network BEGIN').length, 2);
  });

  it('--engine docker launches the vm with the docker variant of the cloud-init', async () => {
    await boxlab('vm', 'create', 'd1', '--engine', 'docker', '--provider', 'multipass', '--memory', '512M');
    const launched = await fs.readFile(`${state()}.d/d1/cloud-init.yaml`, 'utf8');
    assert.match(launched, /^hostname: "d1"$/m);
    assert.match(launched, /\/etc\/docker\/daemon\.json/);
    assert.doesNotMatch(launched, /export DOCKER_HOST/);
    const [vm] = JSON.parse((await boxlab('vm', 'list', '--json')).stdout).filter((v: { name: string }) => v.name === 'd1');
    assert.equal(vm.engine, 'docker');
  });
});
