// The local registry's configuration: Debian's docker-registry (distribution 2.8) serving a folder of
// ours, bound to loopback by default (no auth: it must not be reachable from the network). Pure builder.
import { invalidArgument } from '../../core/errors.js';

export const DEFAULT_MIRROR_DIR = '/var/lib/boxlab-mirror';
export const DEFAULT_MIRROR_ADDRESS = '127.0.0.1:5000';

/** "127.0.0.1:5000" -> parts; refuses what docker-registry would not bind */
export function parseListenAddress(addr: string): { host: string; port: number } {
  const m = /^([a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw invalidArgument(`invalid mirror address "${addr}": expected host:port, e.g. ${DEFAULT_MIRROR_ADDRESS}`);
  return { host: m[1], port };
}

/** config.yml for `docker-registry serve` */
export function buildRegistryConfig(options: { dataDir: string; addr: string }): string {
  parseListenAddress(options.addr);
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(options.dataDir)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${JSON.stringify(options.addr)}`,
    '',
  ].join('\n');
}
