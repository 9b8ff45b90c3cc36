// The guest's root filesystem, staged from this host: the recipe's binaries with their libraries, busybox
// applets, the few /etc files a login needs, a dropbear host key and the init script (vm-images/qemu).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { copyFileInto, copyWithLibs, isFile } from './file-staging.js';
import { RECIPE_DIR } from './image-sources.js';
import type { QemuImageRecipe } from './qemu-image-recipe.js';

/** every binary the recipe copies must be on this host; says which are not and how to install them */
export async function checkHostInputs(recipe: QemuImageRecipe): Promise<void> {
  const absent = [];
  for (const b of recipe.binaries) if (!isFile(b.path)) absent.push(b.path);
  if (absent.length) {
    throw new AppError('FAILED_PRECONDITION', `cannot build the vm image: missing ${absent.join(', ')}`, {
      suggestions: ['install them: apt-get install busybox-static dropbear-bin openssh-sftp-server runc iptables attr procps docker.io', 'node 20 must be /usr/bin/node'],
    });
  }
}

export async function stageRootfs(stage: string, recipe: QemuImageRecipe): Promise<void> {
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc/dropbear', 'proc', 'sys', 'dev', 'run', 'tmp', 'root', 'var/lib/boxlab', 'var/log', 'opt/boxlab/images', 'lib64', 'newroot', 'home']) {
    await fs.mkdir(path.join(stage, d), { recursive: true });
  }
  await fs.chmod(path.join(stage, 'tmp'), 0o1777);
  for (const b of recipe.binaries) {
    await copyWithLibs(stage, b.path, b.as);
    for (const l of b.links ?? []) await fs.symlink(path.basename(b.as ?? b.path), path.join(stage, path.dirname(b.as ?? b.path), l));
  }
  for (const f of recipe.folders) {
    await fs.mkdir(path.join(stage, path.dirname(f)), { recursive: true });
    await run('cp', ['-a', f, path.join(stage, f)]);
  }
  // busybox applets at the paths busybox itself lists (sbin/modprobe matters: the kernel calls it)
  const list = await run('/bin/busybox', ['--list-full']);
  for (const rel of list.stdout.split('\n').filter(Boolean)) {
    const dest = path.join(stage, rel);
    if (path.basename(rel) === 'busybox') continue;
    if (await fs.lstat(dest).then(() => true, () => false)) continue;
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.symlink('/bin/busybox', dest);
  }
  await fs.writeFile(path.join(stage, 'etc/passwd'), 'root::0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  await fs.writeFile(path.join(stage, 'etc/group'), 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n');
  await fs.writeFile(path.join(stage, 'etc/shells'), '/bin/sh\n/bin/bash\n');
  await fs.writeFile(path.join(stage, 'etc/os-release'), 'NAME="boxlab sandbox"\nID=boxlab\nPRETTY_NAME="boxlab sandbox (Debian 12 parts)"\n');
  await fs.writeFile(path.join(stage, 'root/.profile'), 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nexport DOCKER_HOST=unix:///run/boxlab/docker.sock\n');
  await fs.writeFile(path.join(stage, 'root/.bashrc'), '. /root/.profile\nPS1="\\h:\\w# "\n');
  await fs.writeFile(path.join(stage, 'etc/environment'), 'DOCKER_HOST=unix:///run/boxlab/docker.sock\n');
  // one host key per image build (every VM of this image shares it; clients pin per vm dir, not globally)
  await run('dropbearkey', ['-t', 'ed25519', '-f', path.join(stage, 'etc/dropbear/dropbear_ed25519_host_key')]);
  await copyFileInto(stage, path.join(RECIPE_DIR, 'init.sh'), '/sbin/boxlab-init');
  await fs.chmod(path.join(stage, 'sbin/boxlab-init'), 0o755);
}
