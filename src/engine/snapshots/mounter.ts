// The one module that performs mounts (containerd's mount package): the snapshotter and the volume code
// only describe mounts (MountDescriptor); this runs mount(8)/umount(8) for them, undoes the ones already
// done when a later one fails, and reads /proc/self/mountinfo to know what is mounted, so leaks can be
// found and a crashed engine can clean up on its next start.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError, messageOf } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import type { Tracer } from '../trace/tracer.js';
import { mountsUnder, parseMountinfo, type MountInfo } from './mountinfo.js';
import type { MountDescriptor } from './snapshotter.js';

export interface MounterOptions {
  /** default /proc/self/mountinfo; tests may point it at a recorded file */
  mountinfoPath?: string;
}

/** mount(8) arguments for one descriptor; bind mounts have no -t */
export function mountArgs(d: MountDescriptor): string[] {
  const isBind = d.type === 'bind' || d.options.includes('bind') || d.options.includes('rbind');
  const options = isBind && !d.options.some((o) => o === 'bind' || o === 'rbind') ? ['rbind', ...d.options] : d.options;
  const args = isBind ? [] : ['-t', d.type];
  if (options.length > 0) args.push('-o', options.join(','));
  args.push(d.source, d.target);
  return args;
}

export class Mounter {
  private readonly mountinfoPath: string;

  constructor(
    private readonly tracer: Tracer,
    options: MounterOptions = {},
  ) {
    this.mountinfoPath = options.mountinfoPath ?? '/proc/self/mountinfo';
  }

  /** mounts each descriptor in order; if one fails, unmounts the ones done and throws */
  async mount(descriptors: MountDescriptor[], objectId = ''): Promise<void> {
    const done: string[] = [];
    try {
      for (const d of descriptors) {
        await fs.mkdir(d.target, { recursive: true });
        await run('mount', mountArgs(d));
        done.push(d.target);
        if (d.type === 'overlay') {
          const opt = (k: string) => d.options.find((o) => o.startsWith(`${k}=`))?.slice(k.length + 1);
          this.tracer.emit(objectId, 'mount.overlay', {
            target: d.target,
            lowerdir: opt('lowerdir')?.split(':') ?? [],
            upperdir: opt('upperdir'),
            workdir: opt('workdir'),
            args: ['mount', ...mountArgs(d)],
          });
        }
      }
    } catch (err) {
      for (const target of done.reverse()) {
        await this.unmount(target, objectId).catch(() => undefined);
      }
      throw new AppError('COMMAND_FAILED', `mount failed, undid ${done.length} earlier mount(s): ${messageOf(err)}`, {
        cause: err,
        suggestions: ['check that the folders exist and the kernel supports the filesystem (cat /proc/filesystems)'],
      });
    }
  }

  /** unmounts target if it is mounted; a busy mount is detached lazily (umount -l) instead */
  async unmount(target: string, objectId = ''): Promise<void> {
    if (!(await this.isMounted(target))) return;
    const result = await run('umount', [target], { allowFailure: true });
    let lazy = false;
    if (result.exitCode !== 0) {
      if (!(await this.isMounted(target))) return;
      // busy: something still has a file open there; detach it now, the kernel frees it when unused
      await run('umount', ['-l', target]);
      lazy = true;
    }
    this.tracer.emit(objectId, 'mount.unmount', { target, lazy });
  }

  async mounts(): Promise<MountInfo[]> {
    return parseMountinfo(await fs.readFile(this.mountinfoPath, 'utf8'));
  }

  async isMounted(target: string): Promise<boolean> {
    const want = path.resolve(target);
    return (await this.mounts()).some((m) => m.mountPoint === want);
  }

  /** mount points at or below prefix, deepest first: for leak checks and crash recovery */
  async listMountsUnder(prefix: string): Promise<string[]> {
    return mountsUnder(await this.mounts(), path.resolve(prefix)).map((m) => m.mountPoint);
  }

  /** unmounts everything at or below prefix, deepest first; returns what it unmounted */
  async unmountAll(prefix: string, objectId = ''): Promise<string[]> {
    const targets = await this.listMountsUnder(prefix);
    for (const t of targets) await this.unmount(t, objectId);
    return targets;
  }
}
