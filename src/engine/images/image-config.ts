// The image config (OCI image-spec config.md; Docker's "image JSON"): the run defaults (Cmd, Env, ...),
// the history and rootfs.diff_ids, the list of layer digests of the uncompressed tars. Its sha256 is the
// image id. Pure parsing and checks.
import { invalidArgument } from '../../core/errors.js';
import type { ContainerConfig } from '../docker-model.js';
import { isDigest } from '../content/digest.js';
import type { HistoryEntry } from './image-record.js';

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** parses config JSON bytes; `what` names it in errors (e.g. the archive entry) */
export function parseImageConfig(bytes: Buffer | string, what: string): ImageConfig {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString());
  } catch (err) {
    throw invalidArgument(`image config ${what} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const c = value as Partial<ImageConfig> | null;
  if (c === null || typeof c !== 'object') throw invalidArgument(`image config ${what} is not a JSON object`);
  const rootfs = c.rootfs as { type?: unknown; diff_ids?: unknown } | undefined;
  if (!rootfs || rootfs.type !== 'layers' || !Array.isArray(rootfs.diff_ids)) {
    throw invalidArgument(`image config ${what} has no rootfs.diff_ids: expected {"type":"layers","diff_ids":[...]}`);
  }
  for (const d of rootfs.diff_ids) {
    if (typeof d !== 'string' || !isDigest(d)) throw invalidArgument(`image config ${what} lists the invalid diff_id ${JSON.stringify(d)}`);
  }
  return {
    ...c,
    architecture: typeof c.architecture === 'string' ? c.architecture : 'amd64',
    os: typeof c.os === 'string' ? c.os : 'linux',
    rootfs: { type: 'layers', diff_ids: rootfs.diff_ids as string[] },
  } as ImageConfig;
}

/** Go's GOARCH name for this machine, as image configs spell it */
export function hostArchitecture(): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return map[process.arch] ?? process.arch;
}
