// Where the page lives between restarts: `boxlab serve` keeps its port and token in
// $BOXLAB_HOME/serve.json (mode 0600: the token opens a root shell), so a bookmark or an open tab still
// works after a restart; `--new-token` replaces the token (and so locks out every old link). And the
// addresses to print: the one asked for, or, for 0.0.0.0, each address of this machine others can reach.
import { promises as fs } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import path from 'node:path';
import { pageOrigin } from './server/web-auth.js';

export interface RememberedServe {
  port: number;
  token: string;
}

/** what the last serve used; undefined when there is none or the file is not ours */
export async function readRememberedServe(file: string): Promise<RememberedServe | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<RememberedServe>;
    const portOk = Number.isInteger(v.port) && (v.port as number) > 0 && (v.port as number) < 65536;
    return portOk && typeof v.token === 'string' && /^[A-Za-z0-9_-]{16,}$/.test(v.token) ? { port: v.port as number, token: v.token } : undefined;
  } catch {
    return undefined;
  }
}

export async function rememberServe(file: string, value: RememberedServe): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, JSON.stringify(value) + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** the page's addresses: one for a named host; for a wildcard, loopback first, then each external IPv4 */
export function pageUrls(host: string, port: number, token: string, interfaces: Record<string, NetworkInterfaceInfo[] | undefined>): string[] {
  const url = (h: string) => `${pageOrigin(h, port)}/?token=${encodeURIComponent(token)}`;
  if (!WILDCARD.has(host)) return [url(host)];
  const external = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => url(i.address));
  return [url('127.0.0.1'), ...external];
}
