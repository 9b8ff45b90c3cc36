// The docker image variant end to end, as the multi-node chapters use it: two QEMU VMs on one lab
// network, each with Debian's dockerd next to boxlabd (`vm create --engine docker`); the shell's `docker`
// talks to dockerd, so `docker swarm init` on n1 and `docker swarm join` on n2 over the lab network make a
// two-node cluster that `docker node ls` shows Ready; then an overlay network (VXLAN between the VMs) whose
// service tasks on both nodes reach each other by address. boxlabd still answers at its own socket.
// Nothing is left behind: the VMs are deleted and no qemu process remains.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requires } from '../../helpers/requires.js';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';

const run = promisify(execFile);
const BIN = BOXLAB_BIN;

describe('docker engine image variant (e2e, TCG)', function () {
  this.timeout(1_800_000);
  let home: string;
  const tag = `dv${process.pid}`;
  const [n1, n2] = [`${tag}a`, `${tag}b`];
  // dockerd's first start under TCG comes after boxlabd's: give the boot more than the default 120 s
  const env = () => ({ ...process.env, BOXLAB_HOME: home, BOXLAB_QEMU_ACCEL: process.env.BOXLAB_QEMU_ACCEL ?? '', BOXLAB_VM_BOOT_TIMEOUT: '600' });
  const boxlab = async (...args: string[]) => run(process.execPath, [BIN, ...args], { env: env(), maxBuffer: 1 << 24 });
  const inVm = async (vm: string, ...cmd: string[]) => (await boxlab('vm', 'exec', vm, '--', ...cmd)).stdout;

  before(async function () {
    requires(this, 'root', 'qemu');
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-docker-'));
  });

  after(async () => {
    if (!home) return;
    await boxlab('vm', 'delete', n1, n2).catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
    assert.deepEqual([...qemuOf(n1), ...qemuOf(n2)], [], 'no qemu process is left');
  });

  function qemuOf(vm: string): string[] {
    try {
      return execFileSync('pgrep', ['-a', '-f', `process=boxlab-${vm}`]).toString().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  it('makes a two-node swarm over the lab network, and an overlay network whose tasks reach each other across the vms', async () => {
    await boxlab('vm', 'create', n1, n2, '--provider', 'qemu', '--cpus', '1', '--memory', '1536M', '--network', `ln${tag}`, '--engine', 'docker');
    const listed = JSON.parse((await boxlab('vm', 'list', '--json')).stdout) as Array<{ name: string; state: string; engine: string }>;
    for (const vm of [n1, n2]) assert.deepEqual(listed.filter((v) => v.name === vm).map((v) => [v.state, v.engine]), [['running', 'docker']]);

    // the shell's docker is dockerd 20.10; boxlabd still answers at its own socket for the lab checks
    assert.match(await inVm(n1, 'docker', 'version', '--format', '{{.Server.Version}}'), /^20\.10\./);
    // both engines run containers side by side: boxlab0 keeps 172.17.0.0/16, docker0 has the next range
    assert.equal(await inVm(n1, 'sh', '-c', 'DOCKER_HOST=unix:///run/boxlab/docker.sock docker run --rm busybox echo boxlabd'), 'boxlabd\n');
    assert.match(await inVm(n1, 'sh', '-c', 'ip -4 -o addr show dev boxlab0; ip -4 -o addr show dev docker0'), /boxlab0\s+inet 172\.17\.0\.1\/16[\s\S]*docker0\s+inet 172\.18\.0\.1\/16/);

    const addr1 = (await inVm(n1, 'sh', '-c', "ip -4 -o addr show dev eth1 | awk '{print $4}' | cut -d/ -f1")).trim();
    assert.match(addr1, /^10\.10\.\d+\.\d+$/);
    await inVm(n1, 'docker', 'swarm', 'init', '--advertise-addr', addr1);
    const token = (await inVm(n1, 'docker', 'swarm', 'join-token', '-q', 'worker')).trim();
    // n2 reaches the manager by its name on the lab network (/etc/hosts)
    await inVm(n2, 'docker', 'swarm', 'join', '--token', token, `${n1}:2377`);
    const nodes = await waitFor(async () => {
      const out = await inVm(n1, 'docker', 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}');
      return out.includes(`${n1} Ready`) && out.includes(`${n2} Ready`) ? out : undefined;
    }, 120_000);
    assert.deepEqual(nodes.trim().split('\n').sort(), [`${n1} Ready`, `${n2} Ready`]);

    // the sandbox is offline: dockerd gets boxlabd's baked busybox through docker save | docker load
    for (const vm of [n1, n2]) await inVm(vm, 'sh', '-c', 'DOCKER_HOST=unix:///run/boxlab/docker.sock docker save busybox | docker load -q');
    // an overlay network: one task per node (global mode), each pinging the other's overlay address
    await inVm(n1, 'docker', 'network', 'create', '--driver', 'overlay', '--attachable', '--subnet', '10.220.0.0/24', 'ov');
    await inVm(n1, 'docker', 'service', 'create', '--detach', '--name', 'pinger', '--network', 'ov', '--mode', 'global', '--no-resolve-image', 'busybox', 'sleep', '3600');
    const tasks = await waitFor(async () => {
      const ps = await inVm(n1, 'docker', 'service', 'ps', 'pinger', '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}');
      const running = ps.split('\n').filter((l) => / Running /.test(l + ' '));
      return running.length === 2 ? running : undefined;
    }, 300_000);
    assert.deepEqual(tasks.map((l) => l.split(' ')[0]).sort(), [n1, n2].sort());
    const overlayAddr = async (vm: string) => {
      const id = (await inVm(vm, 'docker', 'ps', '-q', '--filter', 'name=pinger')).trim();
      const ip = (await inVm(vm, 'docker', 'inspect', '--format', '{{(index .NetworkSettings.Networks "ov").IPAddress}}', id)).trim();
      return { id, ip };
    };
    const [t1, t2] = [await overlayAddr(n1), await overlayAddr(n2)];
    assert.match(t2.ip, /^10\.220\.0\.\d+$/);
    // VXLAN carries the ping from the task on n1 to the task on n2 over the lab network
    assert.match(await inVm(n1, 'docker', 'exec', t1.id, 'ping', '-c', '1', '-W', '5', t2.ip), /1 packets received/);
    assert.match(await inVm(n2, 'docker', 'exec', t2.id, 'ping', '-c', '1', '-W', '5', t1.ip), /1 packets received/);
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`timed out after ${ms / 1000} s${last ? `: ${String(last)}` : ''}`);
}
