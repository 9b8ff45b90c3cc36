// The `docker` variant of the QEMU sandbox image: the same initramfs plus Debian's Docker engine (dockerd
// 20.10, containerd, the runc shim, docker-proxy, docker-init) and the kernel modules Swarm's routing mesh
// (IPVS) and overlay networks (VXLAN) need, for the multi-node chapters of the notes. boxlabd still runs
// (lab checks reach it at /run/boxlab/docker.sock); the student's `docker` talks to dockerd
// (/var/run/docker.sock). The variant is part of the recipe, so it hashes into its own cache folder, and
// the boxlabd recipe has no `variant` key at all, so its hash stays what it was. docs/adr/0008.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { QemuImageRecipe, RecipeBinary } from './qemu-image-recipe.js';

export const IMAGE_VARIANTS = ['boxlabd', 'docker'] as const;
export type ImageVariant = (typeof IMAGE_VARIANTS)[number];

/** Debian's docker.io and containerd packages (runc is in the base recipe) */
export const DOCKER_ENGINE_BINARIES: readonly RecipeBinary[] = [
  { path: '/usr/sbin/dockerd' },
  { path: '/usr/sbin/docker-proxy' },
  // a symlink to tini-static on Debian: `docker run --init` and Swarm's --init run it as PID 1
  { path: '/usr/bin/docker-init' },
  { path: '/usr/bin/containerd' },
  { path: '/usr/bin/containerd-shim-runc-v2' },
];

/** what is in the guest only for the docker variant (the init hook reads these paths) */
export const DOCKER_VARIANT_FILES = {
  hook: '/etc/boxlab/init.d/50-dockerd',
  modules: '/etc/boxlab/docker-modules',
  persist: '/etc/boxlab/persist',
  daemonJson: '/etc/docker/daemon.json',
} as const;

/**
 * dockerd's settings: boxlabd's bridge boxlab0 takes 172.17.0.0/16 (when its first container starts, so
 * dockerd's own route check would not see it yet); docker0 and dockerd's local networks (docker_gwbridge)
 * get the next ranges. Swarm's overlay networks come from their own pool (10.0.0.0/8, /24 each).
 */
export const DOCKERD_CONFIG = {
  bip: '172.18.0.1/16',
  'default-address-pools': [{ base: '172.19.0.0/16', size: 24 }],
};

/** the hook prints these on the serial console (vm-images/qemu-docker/dockerd-init.sh) */
export const DOCKERD_READY_MARKER = 'BOXLAB-DOCKERD-READY';
export const DOCKERD_FAILED_MARKER = 'BOXLAB-DOCKERD-FAILED';
/** the file the hook touches, checked over ssh after a snapshot restore */
export const DOCKERD_READY_FILE = '/run/boxlab/dockerd-ready';

export function isImageVariant(v: string): v is ImageVariant {
  return (IMAGE_VARIANTS as readonly string[]).includes(v);
}

/** the boxlabd recipe plus the engine's binaries and modules; boxlabd's own recipe is returned untouched */
export function withImageVariant(recipe: QemuImageRecipe, variant: ImageVariant, extraModules: string[]): QemuImageRecipe {
  if (variant === 'boxlabd') return recipe;
  return {
    ...recipe,
    variant,
    binaries: [...recipe.binaries, ...DOCKER_ENGINE_BINARIES],
    modules: [...new Set([...recipe.modules, ...extraModules])],
  };
}

/**
 * Stages the variant's files into the root filesystem: the init hook, its module list, /var/lib/docker
 * on the data disk, and a shell without DOCKER_HOST (so `docker` means dockerd).
 */
export async function stageDockerEngine(stage: string, variantDir: string, modules: string[]): Promise<void> {
  const put = async (rel: string, text: string, mode = 0o644) => {
    await fs.mkdir(path.join(stage, path.dirname(rel)), { recursive: true });
    await fs.writeFile(path.join(stage, rel), text, { mode });
    await fs.chmod(path.join(stage, rel), mode);
  };
  await put(DOCKER_VARIANT_FILES.hook, await fs.readFile(path.join(variantDir, 'dockerd-init.sh'), 'utf8'), 0o755);
  await put(DOCKER_VARIANT_FILES.modules, modules.join('\n') + '\n');
  await put(DOCKER_VARIANT_FILES.persist, 'var/lib/docker\n');
  await put(DOCKER_VARIANT_FILES.daemonJson, JSON.stringify(DOCKERD_CONFIG, null, 2) + '\n');
  await fs.mkdir(path.join(stage, 'var/lib/docker'), { recursive: true, mode: 0o710 });
  await put('root/.profile', 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n# docker talks to dockerd (/var/run/docker.sock); boxlabd: DOCKER_HOST=unix:///run/boxlab/docker.sock\n');
  await put('etc/environment', '');
  // dockerd adds the `docker` group's users to its socket; root only here, but it warns without the group
  await fs.appendFile(path.join(stage, 'etc/group'), 'docker:x:999:\n');
}
