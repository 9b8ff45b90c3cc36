// Reads a running container's cgroup files from the host, for cgroup v1 (one hierarchy per controller)
// and v2 (one unified hierarchy), by following /proc/<pid>/cgroup: what `docker run -m ...` must have
// written is checked where the kernel enforces it.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

export async function cgroupFile(pid: number, controller: string, file: string): Promise<string> {
  const lines = (await fs.readFile(`/proc/${pid}/cgroup`, 'utf8')).trim().split('\n');
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  for (const line of lines) {
    const [, controllers, cgPath] = line.split(':');
    const matches = v2 ? controllers === '' : controllers.split(',').includes(controller);
    if (!matches) continue;
    const dir = v2 ? path.join('/sys/fs/cgroup', cgPath) : path.join('/sys/fs/cgroup', controller, cgPath);
    return (await fs.readFile(path.join(dir, file), 'utf8')).trim();
  }
  throw new Error(`pid ${pid} is in no ${controller} cgroup`);
}

export const cgroupV2 = () => existsSync('/sys/fs/cgroup/cgroup.controllers');
