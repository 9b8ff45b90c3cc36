// Compose in the sandbox (ADR 0015): Debian's docker-compose 1.29, and `docker compose` through a docker
// CLI plugin (vm-images/compose/docker-compose, a short shell script that drops the word "compose" and
// execs docker-compose). The local sandbox is this host: the plugin goes into a cli-plugins folder the
// docker CLI searches. The QEMU image gets python3.11 (the standard library without tests, tkinter, idle,
// the build config and bytecode caches), the Python packages docker-compose imports, its entry script and
// the plugin: about 20 MB of the initramfs. No bytecode caches: Debian's for these packages and the standard
// library modules compose imports add 14 MB, and a 768 MiB guest, which holds the initramfs twice while it
// boots (the image and the root unpacked from it), then panics ("Initramfs unpacking failed: write
// error"). The first `docker compose` after a boot compiles what it imports into the writable root (15 s
// under TCG, 3 s after). Multipass installs the package (cloud-init.ts).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../core/exec.js';
import { copyFileInto, isFile } from './file-staging.js';
import { BOXLAB_ROOT } from './image-sources.js';
import type { RecipeBinary } from './qemu-image-recipe.js';

/** the plugin script, as the repository ships it */
export const COMPOSE_PLUGIN = path.join(BOXLAB_ROOT, 'vm-images', 'compose', 'docker-compose');
/** where the docker CLI looks for system-wide plugins (one of its fixed folders) */
export const SYSTEM_PLUGIN_DIR = '/usr/libexec/docker/cli-plugins';
const COMPOSE_SCRIPT = '/usr/bin/docker-compose';
const STDLIB = '/usr/lib/python3.11';
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
/** what `import compose.cli.main` loads from dist-packages (recorded with python3 -c on Debian 12), and the entry point's metadata */
export const COMPOSE_PYTHON_PACKAGES = [
  'compose', 'docker_compose-1.29.2.egg-info', 'docker', 'dockerpty', 'docopt.py', 'dotenv', 'idna', 'jsonpointer.py', 'jsonschema', 'pyrsistent', 'pvectorc.cpython-311-x86_64-linux-gnu.so',
  'requests', 'rfc3987.py', 'six.py', 'texttable.py', 'urllib3', 'webcolors.py', 'websocket', 'yaml', '_yaml', 'attr', 'chardet', 'charset_normalizer',
  'distro', 'certifi', 'cached_property.py', 'pkg_resources', '_distutils_hack', 'setuptools',
];
/** parts of the standard library docker-compose never imports */
const STDLIB_LEFT_OUT = ['test', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip', 'lib2to3', 'pydoc_data', 'config-3.11-x86_64-linux-gnu', '__pycache__'];

/** the QEMU recipe's binaries for compose: python and the libraries its C modules (ssl, hashlib, bz2, lzma, uuid, decimal) load */
export function composeRecipeBinaries(): RecipeBinary[] {
  const libs = ['libssl.so.3', 'libcrypto.so.3', 'libbz2.so.1.0', 'liblzma.so.5', 'libuuid.so.1', 'libmpdec.so.3', 'libyaml-0.so.2', 'libffi.so.8'];
  return [
    { path: '/usr/bin/python3.11', links: ['python3'], optional: true },
    ...libs.map((l) => ({ path: `/usr/lib/x86_64-linux-gnu/${l}`, optional: true })),
  ];
}

/** is docker-compose installed on this host (so the image can carry it)? */
export function hostHasCompose(): boolean {
  return isFile(COMPOSE_SCRIPT) && isFile('/usr/bin/python3.11');
}

/** the QEMU image: the standard library, compose's packages, its entry script and the plugin (python itself comes with the recipe's binaries) */
export async function stageCompose(stage: string): Promise<void> {
  const excludes = STDLIB_LEFT_OUT.flatMap((d) => ['--exclude', d]);
  await fs.mkdir(path.join(stage, STDLIB), { recursive: true });
  // tar keeps modes and links; an excluded name is left out at every depth
  await run('tar', ['-C', STDLIB, ...excludes, '-cf', path.join(stage, 'stdlib.tar'), '.']);
  await run('tar', ['-C', path.join(stage, STDLIB), '-xf', path.join(stage, 'stdlib.tar')]);
  await fs.rm(path.join(stage, 'stdlib.tar'));
  const site = path.join(stage, DIST_PACKAGES);
  await fs.mkdir(site, { recursive: true });
  for (const p of COMPOSE_PYTHON_PACKAGES) {
    const from = path.join(DIST_PACKAGES, p);
    if (!(await fs.stat(from).then(() => true, () => false))) continue;
    await run('cp', ['-a', from, site]);
  }
  await run('find', [site, '-name', '__pycache__', '-prune', '-exec', 'rm', '-rf', '{}', '+']);
  await copyFileInto(stage, COMPOSE_SCRIPT);
  await copyFileInto(stage, COMPOSE_PLUGIN, path.join(SYSTEM_PLUGIN_DIR, 'docker-compose'));
}

/**
 * The local sandbox: puts the plugin where this host's docker CLI finds it (root: the system folder
 * /usr/local/lib/docker/cli-plugins, another user: ~/.docker/cli-plugins). Returns the path, or undefined
 * when docker-compose is not installed (then `docker compose` would only print that it is missing).
 */
export async function installComposePluginLocally(home = os.homedir(), uid = process.getuid?.() ?? 0): Promise<string | undefined> {
  if (!isFile(COMPOSE_SCRIPT)) return undefined;
  const dir = uid === 0 ? '/usr/local/lib/docker/cli-plugins' : path.join(process.env.DOCKER_CONFIG ?? path.join(home, '.docker'), 'cli-plugins');
  const target = path.join(dir, 'docker-compose');
  const want = await fs.readFile(COMPOSE_PLUGIN);
  const have = await fs.readFile(target).catch(() => undefined);
  if (have?.equals(want)) return target;
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(`${target}.tmp`, want, { mode: 0o755 });
  await fs.rename(`${target}.tmp`, target);
  return target;
}
