// Debian's dockerd (docker.io) as the reference engine: started on a private socket with no bridge and no
// iptables changes (../shared/notes/reference-engine.md), given the same busybox rootfs as an image.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../src/core/exec.js';
import { makeBusyboxRootfs } from './busybox-rootfs.js';
import { timeCommand, type Sample } from './measure.js';

export interface ReferenceEngine {
  socket: string;
  stop(): Promise<void>;
}

export async function startReferenceDockerd(work: string): Promise<ReferenceEngine | undefined> {
  if (!existsSync('/usr/sbin/dockerd') && !existsSync('/usr/bin/dockerd')) return undefined;
  await fs.mkdir(work, { recursive: true });
  const socket = path.join(work, 'docker.sock');
  const log = await fs.open(path.join(work, 'dockerd.log'), 'w');
  const child: ChildProcess = spawn(
    'dockerd',
    ['--data-root', path.join(work, 'root'), '--exec-root', path.join(work, 'exec'), '-H', `unix://${socket}`,
      '--pidfile', path.join(work, 'pid'), '--iptables=false', '--bridge=none'],
    { stdio: ['ignore', log.fd, log.fd] },
  );
  const env = { DOCKER_HOST: `unix://${socket}` };
  for (let i = 0; i < 200; i++) {
    if ((await run('docker', ['version'], { env, allowFailure: true })).exitCode === 0) break;
    if (child.exitCode !== null) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  const rootfs = await makeBusyboxRootfs(path.join(work, 'rootfs'));
  await run('tar', ['-C', rootfs, '-cf', path.join(work, 'busybox.tar'), '.']);
  await run('docker', ['import', path.join(work, 'busybox.tar'), 'busybox:latest'], { env });
  return {
    socket,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await log.close();
    },
  };
}

/** `docker run --rm --network none busybox true` against the reference: boxlabd's start is compared with it */
export function timeDockerdStart(dockerd: ReferenceEngine, docker: string, runs: number): Sample {
  return timeCommand('docker run --rm --network none busybox true (dockerd)', docker, ['run', '--rm', '--network', 'none', 'busybox', 'true'], {
    runs,
    env: { ...process.env, DOCKER_HOST: `unix://${dockerd.socket}` },
  });
}
