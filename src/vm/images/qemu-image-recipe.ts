// The QEMU image recipe as data: which host files go into the guest, which kernel, which scripts. Its
// hash names the cache folder (~/.cache/boxlab/vm-images/<hash>/), so the image is rebuilt exactly when
// an input changes (a new runc, a rebuilt boxlab, an edited init script), like a Docker build cache key.
import { createHash } from 'node:crypto';
import { composeRecipeBinaries } from './compose-stage.js';

export const QEMU_RECIPE_VERSION = 1;

/** a host binary copied with the shared libraries ldd reports; `as` renames it inside the guest */
export interface RecipeBinary {
  path: string;
  as?: string;
  /** extra names (symlinks) for multi-call binaries */
  links?: string[];
  /** left out when the host does not have it */
  optional?: boolean;
}

export interface QemuImageRecipe {
  kernelPackage: string;
  binaries: RecipeBinary[];
  /** host folders copied as they are (dlopen'ed plugins such as iptables extensions) */
  folders: string[];
  modules: string[];
  /** disk size for mkfs.ext4 (sparse) */
  diskSize: string;
  /** absent for the boxlabd image; 'docker' adds Debian's Docker engine (docker-engine-variant.ts) */
  variant?: 'docker';
  /** bake recipes whose images the data disk's engine root holds (preloaded-images.ts); busybox always */
  images?: string[];
}

/** a fingerprint of one input: its path and content digest (or size+mtime for big files) */
export interface InputFingerprint {
  name: string;
  digest: string;
}

export function defaultQemuRecipe(kernelPackage: string, modules: string[]): QemuImageRecipe {
  return {
    kernelPackage,
    binaries: [
      { path: '/bin/busybox' },
      { path: '/bin/bash' },
      { path: '/usr/sbin/dropbear' },
      // dropbear runs the sftp subsystem from /usr/lib/sftp-server (its compiled-in path), not openssh's
      { path: '/usr/lib/openssh/sftp-server', as: '/usr/lib/sftp-server' },
      { path: '/usr/sbin/runc' },
      { path: '/usr/sbin/xtables-nft-multi', links: ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables'] },
      { path: '/usr/bin/setfattr' },
      { path: '/usr/bin/getfattr' },
      // the engine's networking needs iproute2's ip/bridge (busybox ip has no netns, veth or bridge vlan)
      { path: '/bin/ip', as: '/usr/sbin/ip' },
      { path: '/usr/sbin/bridge' },
      { path: '/usr/bin/nsenter' },
      { path: '/usr/bin/unshare' },
      // what lab checks run (busybox has none of them): findmnt/mountpoint/lsns from util-linux, curl
      { path: '/usr/bin/findmnt' },
      { path: '/bin/mountpoint', as: '/usr/bin/mountpoint' },
      { path: '/usr/bin/lsns', optional: true },
      // Debian's busybox-static has no pgrep/pkill applets (lab 04's exec check, lab 01's cleanup), and its
      // ps ignores -ef/aux and knows few -o columns (no pidns): procps's own, so they behave as on the host
      { path: '/usr/bin/pgrep', links: ['pkill'] },
      { path: '/bin/ps' },
      // util-linux's script: the engine's shim runs tty containers under it (docker run -t), busybox has none
      { path: '/usr/bin/script' },
      // coreutils timeout: busybox's exits with the killed check's own status (143), so a check that ran
      // out of time read "exit 143" instead of "timed out" (the runner knows 124, as on the host)
      { path: '/usr/bin/timeout' },
      { path: '/usr/bin/curl', optional: true },
      // lab 09 reads a container's config.json and runc's state with jq
      { path: '/usr/bin/jq', optional: true },
      { path: '/usr/sbin/nft', optional: true },
      { path: '/usr/sbin/conntrack', optional: true },
      { path: '/usr/bin/node' },
      // the static docker 28 client when present (no libs needed), else Debian's
      { path: '/usr/local/bin/docker', as: '/usr/bin/docker' },
      // docker-compose 1.29 is python: the interpreter and the libraries its modules load (compose-stage.ts)
      ...composeRecipeBinaries(),
    ],
    folders: ['/usr/lib/x86_64-linux-gnu/xtables'],
    modules,
    // room for the preloaded images (~450 MB when the bake cache has them all) and what labs build
    diskSize: '3G',
  };
}

/** parses vm-images/qemu/modules.txt: names separated by blanks, # comments */
export function parseModuleList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, ''))
    .flatMap((l) => l.split(/\s+/))
    .filter(Boolean);
}

export function recipeHash(recipe: QemuImageRecipe, inputs: InputFingerprint[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: QEMU_RECIPE_VERSION, recipe }));
  for (const i of [...inputs].sort((a, b) => a.name.localeCompare(b.name))) h.update(`\n${i.name}=${i.digest}`);
  return h.digest('hex').slice(0, 16);
}

/** ldd output -> the library files to copy (absolute paths, loader included) */
export function parseLddOutput(text: string): string[] {
  const libs = new Set<string>();
  for (const line of text.split('\n')) {
    const arrow = line.match(/=>\s+(\/\S+)/);
    if (arrow) libs.add(arrow[1]!);
    else {
      const direct = line.trim().match(/^(\/\S+)\s+\(/);
      if (direct) libs.add(direct[1]!);
    }
  }
  return [...libs];
}

/** `modprobe --show-depends` output -> .ko paths */
export function parseShowDepends(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((w) => w[0] === 'insmod' && w[1])
    .map((w) => w[1]!);
}
