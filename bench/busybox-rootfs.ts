// A busybox root filesystem folder for the reference measurements (raw runc, Debian's dockerd).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../src/core/exec.js';

export async function makeBusyboxRootfs(dir: string): Promise<string> {
  for (const d of ['bin', 'proc', 'sys', 'dev', 'etc', 'tmp']) await fs.mkdir(path.join(dir, d), { recursive: true });
  await fs.copyFile('/bin/busybox', path.join(dir, 'bin/busybox'));
  await fs.chmod(path.join(dir, 'bin/busybox'), 0o755);
  const { stdout } = await run('/bin/busybox', ['--list']);
  for (const applet of stdout.split('\n')) {
    if (applet && applet !== 'busybox') await fs.symlink('busybox', path.join(dir, 'bin', applet)).catch(() => undefined);
  }
  return dir;
}
