// What a user sees when a qemu sandbox cannot come up, through the CLI: memory or disk short (refused
// before qemu starts, with the numbers and the fix), and a vm that does not answer in time (the last
// console lines, and nothing left: the half-made vm is rolled back), and why qemu runs without kvm;
// and Ctrl-C in the middle of `vm create` leaves nothing behind.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requires } from '../../helpers/requires.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';

const run = promisify(execFile);
const BIN = BOXLAB_BIN;

describe('qemu sandbox errors (CLI)', function () {
  this.timeout(300_000);
  let dir: string;
  const vm = `bxerr${process.pid}`;
  const boxlab = (env: Record<string, string>, ...args: string[]) =>
    run(process.execPath, [BIN, ...args], { env: { ...process.env, BOXLAB_HOME: path.join(dir, 'home'), ...env }, maxBuffer: 1 << 24, timeout: 240_000 });
  const stderrOf = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (err) {
      return (err as { stderr: string }).stderr;
    }
    assert.fail('the command succeeded');
  };

  before(async function () {
    requires(this, 'root', 'qemu');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-errors-'));
  });
  after(async () => {
    if (!dir) return;
    await boxlab({}, 'vm', 'delete', vm).catch(() => undefined);
    execFileSync('sh', ['-c', 'umount "$1" 2>/dev/null; true', 'sh', path.join(dir, 'small')]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses more memory than the host has available, with the numbers and a size that fits', async () => {
    const err = await stderrOf(boxlab({}, 'vm', 'create', vm, '--provider', 'qemu', '--cpus', '1', '--memory', '4000G'));
    assert.match(err, new RegExp(`not enough memory for vm "${vm}": it needs 4096000 MiB \\(\\+128 MiB for qemu\\), this host has \\d+ MiB available`));
    assert.match(err, /ask for less: --memory \d+M/);
    assert.doesNotMatch((await boxlab({}, 'vm', 'list')).stdout, new RegExp(vm));
  });

  it('refuses a vm whose disk does not fit where vms live, naming the folder and BOXLAB_HOME', async () => {
    const small = path.join(dir, 'small');
    await fs.mkdir(small);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', small]);
    const err = await stderrOf(boxlab({ BOXLAB_HOME: path.join(small, 'home'), BOXLAB_CACHE: path.join(small, 'cache') }, 'vm', 'create', vm, '--provider', 'qemu', '--cpus', '1', '--memory', '512M'));
    assert.match(err, new RegExp(`not enough disk for vm "${vm}": it needs 1\\.0 GiB for the vm disk in ${small}/home/vms and 1\\.5 GiB for building the vm image in ${small}/cache/vm-images, ${small} has 0\\.1 GiB free`));
    assert.match(err, /BOXLAB_HOME=/);
    assert.deepEqual(await fs.readdir(small), [], 'nothing written on the full disk');
  });

  it('Ctrl-C during vm create removes the half-created vm: no record, no qemu', async () => {
    const child = spawn(process.execPath, [BIN, 'vm', 'create', vm, '--provider', 'qemu', '--cpus', '1', '--memory', '512M'], {
      env: { ...process.env, BOXLAB_HOME: path.join(dir, 'home') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // interrupt once qemu runs and boxlab waits for the engine: the worst moment, a process and a disk exist
    await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => ((err += d.toString()), /qemu started/.test(err) && resolve())));
    child.kill('SIGINT');
    assert.equal(await exited, 130, err);
    assert.match(err, new RegExp(`vm "${vm}": interrupted, removing the half-created vm`));
    assert.doesNotMatch((await boxlab({}, 'vm', 'list')).stdout, new RegExp(vm));
    assert.equal(execFileSync('sh', ['-c', 'pgrep -f "process=boxlab-$1" || true', 'sh', vm]).toString(), '');
  });

  it('shows the last console lines when the vm does not answer in time, and leaves nothing', async () => {
    // 0.2 s: not even kvm gets a vm ready that fast, so this fails the same way everywhere
    const err = await stderrOf(boxlab({ BOXLAB_VM_BOOT_TIMEOUT: '0.2' }, 'vm', 'create', vm, '--provider', 'qemu', '--cpus', '1', '--memory', '512M'));
    assert.match(err, new RegExp(`vm "${vm}" did not answer: the engine did not get ready within \\d+ s; (last console lines:\\n(\\s+\\| .*\\n)+|the console stayed empty \\(the kernel did not reach init\\))`));
    assert.match(err, /the whole console is in .*serial\.log/);
    // without a usable kvm the progress says why qemu emulates the cpu
    const accel = err.match(/qemu started \((kvm|tcg)/)?.[1];
    assert.ok(accel, err);
    if (accel === 'tcg') assert.match(err, new RegExp(`vm "${vm}": kvm is not usable here \\((no /dev/kvm|kvm probe failed.*|BOXLAB_QEMU_ACCEL=tcg)\\), so qemu emulates the cpu \\(tcg\\)`));
    assert.doesNotMatch((await boxlab({}, 'vm', 'list')).stdout, new RegExp(vm));
    assert.equal(execFileSync('sh', ['-c', 'pgrep -f "process=boxlab-$1" || true', 'sh', vm]).toString(), '');
  });
});
