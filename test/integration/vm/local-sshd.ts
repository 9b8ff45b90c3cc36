// A throw-away OpenSSH server on 127.0.0.1 for the ssh2 tests: its own host key, an authorized key made
// for the test, no config file (-f /dev/null), stopped by pid afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { freePort } from '../../../src/vm/providers/qemu/free-port.js';

export interface LocalSshd {
  port: number;
  dir: string;
  identity: string;
  stop(): Promise<void>;
}

export async function startLocalSshd(): Promise<LocalSshd> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-vm-sshd-'));
  const host = ssh2.utils.generateKeyPairSync('ed25519');
  const client = ssh2.utils.generateKeyPairSync('ed25519');
  await fs.writeFile(path.join(dir, 'host_key'), host.private, { mode: 0o600 });
  await fs.writeFile(path.join(dir, 'id_ed25519'), client.private, { mode: 0o600 });
  await fs.writeFile(path.join(dir, 'authorized_keys'), client.public + '\n', { mode: 0o600 });
  await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const child: ChildProcess = spawn('/usr/sbin/sshd', [
    '-D', '-e', '-f', '/dev/null', '-p', String(port),
    '-o', 'ListenAddress=127.0.0.1', '-o', `HostKey=${path.join(dir, 'host_key')}`,
    '-o', `AuthorizedKeysFile=${path.join(dir, 'authorized_keys')}`, '-o', 'StrictModes=no',
    '-o', 'PidFile=none', '-o', 'UsePAM=no', '-o', 'PermitRootLogin=prohibit-password',
    '-o', 'Subsystem=sftp internal-sftp', '-o', 'AllowStreamLocalForwarding=yes',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 100; i++) {
    if (await new Promise<boolean>((r) => { const s = net.connect(port, '127.0.0.1', () => { s.destroy(); r(true); }); s.on('error', () => r(false)); })) break;
    if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    dir,
    identity: path.join(dir, 'id_ed25519'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
