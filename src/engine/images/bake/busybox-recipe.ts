// The offline busybox image: Debian's busybox-static binary at /bin/busybox, a symlink per applet
// (busybox looks at argv[0] to pick the tool), a minimal /etc/passwd and /etc/group (root and nobody),
// /tmp with the sticky bit (1777), /root and /var/www (for httpd labs). Cmd ["sh"], like Docker Hub's busybox.
// Times are fixed, so baking twice from the same binary gives the same image id.
import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { run } from '../../../core/exec.js';
import { sha256Digest } from '../../content/digest.js';
import type { ArchiveImage } from '../docker-archive-writer.js';
import { hostArchitecture } from '../image-config.js';
import { buildLayerTar, type LayerEntry } from './layer-tar.js';

export const BAKE_EPOCH = new Date('2024-01-01T00:00:00Z');
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const BUSYBOX = 'bin/busybox';

const BASE_DIRS: Array<[string, number]> = [
  ['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['home', 0o755], ['proc', 0o555], ['root', 0o700], ['sbin', 0o755],
  ['sys', 0o555], ['tmp', 0o1777], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755], ['var', 0o755], ['var/www', 0o755],
  ['var/spool', 0o755], ['var/spool/cron', 0o755], ['var/spool/cron/crontabs', 0o755],
];

export const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
export const GROUP = 'root:x:0:\nnobody:x:65534:\n';

/** the layer's entries (pure): applets are paths like "usr/bin/awk" from `busybox --list-full` */
export function busyboxLayerEntries(binary: Buffer, applets: readonly string[]): LayerEntry[] {
  const dirs = new Map<string, number>(BASE_DIRS);
  const links = new Set<string>();
  for (const raw of applets) {
    const applet = raw.trim().replace(/^\/+/, '');
    // never link busybox to itself: that would replace the binary with a symlink loop
    if (applet === '' || applet === BUSYBOX || applet.includes('..')) continue;
    const parts = applet.split('/');
    for (let i = 1; i < parts.length; i++) if (!dirs.has(parts.slice(0, i).join('/'))) dirs.set(parts.slice(0, i).join('/'), 0o755);
    links.add(applet);
  }
  const entries: LayerEntry[] = [...dirs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, mode]) => ({ name: `${name}/`, type: 'directory', mode }));
  entries.push({ name: BUSYBOX, type: 'file', mode: 0o755, data: binary });
  entries.push({ name: 'etc/passwd', type: 'file', mode: 0o644, data: Buffer.from(PASSWD) });
  entries.push({ name: 'etc/group', type: 'file', mode: 0o644, data: Buffer.from(GROUP) });
  for (const link of [...links].sort()) entries.push({ name: link, type: 'symlink', mode: 0o777, linkname: '/bin/busybox' });
  return entries;
}

/** the image config (pure): its bytes' sha256 is the image id */
export function busyboxConfig(diffId: string, version: string, architecture = hostArchitecture()): Buffer {
  const created = BAKE_EPOCH.toISOString();
  return Buffer.from(
    JSON.stringify({
      architecture,
      config: { Env: [DEFAULT_PATH_ENV], Cmd: ['sh'] },
      created,
      history: [{ created, created_by: `boxlab image bake busybox (${version})` }],
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
}

export interface RecipeOptions {
  progress?: (line: string) => void;
  /** where long recipes may put temporary files */
  workDir?: string;
  busyboxPath?: string;
  /** the bake cache (default: bakeCacheDir(), ~/.cache/boxlab/bake) */
  cacheDir?: string;
}

export async function bakeBusybox(options: RecipeOptions = {}): Promise<ArchiveImage> {
  const progress = options.progress ?? (() => undefined);
  const binaryPath = options.busyboxPath ?? '/bin/busybox';
  progress(`busybox: reading ${binaryPath}`);
  const binary = await fs.readFile(binaryPath);
  const applets = (await run(binaryPath, ['--list-full'])).stdout.split('\n');
  const banner = (await run(binaryPath, [], { allowFailure: true })).stdout.split('\n')[0] ?? 'BusyBox';
  const version = /BusyBox v[^\s]+(?: \([^)]*\))?/.exec(banner)?.[0] ?? 'BusyBox';
  progress(`busybox: building the layer (${applets.filter((a) => a.trim() !== '').length} applets)`);
  const layer = await buildLayerTar(busyboxLayerEntries(binary, applets), BAKE_EPOCH);
  const diffId = sha256Digest(layer);
  return {
    config: busyboxConfig(diffId, version),
    repoTags: ['busybox:latest'],
    layers: [{ diffId, size: layer.length, open: () => Readable.from([layer]) }],
  };
}
