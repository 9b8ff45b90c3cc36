// The command line of `boxlab engine start` as the engine's settings: its flags under dockerd's names
// (--socket, -H and --tcp are all "hosts"; --log-opt k=v a map; --default-ulimit nofile=1024:2048 a
// ulimit; --icc=false a boolean), only those given, since a setting given both here and in the file is refused; and the
// configuration file to read: --config-file's (it must exist) or /etc/boxlab/daemon.json if it exists.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument, messageOf } from '../../core/errors.js';
import type { DaemonSettings } from './daemon-json.js';
import { DEFAULT_CONFIG_FILE, type ConfigFile } from './engine-config.js';
import { parseKeyValue, parseMirror, parseUlimitFlag, type Ulimit } from './setting-values.js';

/** the flags given, under dockerd's names: what the configuration file may not say again */
export function settingsFromFlags(flags: {
  [key: string]: unknown;
  socket?: string;
  host?: string[];
  tcp?: string;
  'data-root'?: string;
  debug?: boolean;
  'log-level'?: string;
  tls?: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  'registry-mirror'?: string[];
  'insecure-registry'?: string[];
  'log-driver'?: string;
  'log-opt'?: string[];
  'default-ulimit'?: string[];
  bip?: string;
  label?: string[];
  dns?: string[];
  'dns-search'?: string[];
  'dns-opt'?: string[];
  ip?: string;
  mtu?: number;
  icc?: string;
}): DaemonSettings {
  const s: DaemonSettings = {};
  const hosts = [...(flags.socket ? [`unix://${path.resolve(flags.socket)}`] : []), ...(flags.host ?? []), ...(flags.tcp ? [`tcp://${flags.tcp}`] : [])];
  if (hosts.length > 0) s.hosts = hosts;
  if (flags['data-root'] !== undefined) s['data-root'] = flags['data-root'];
  if (flags.debug) s.debug = true;
  if (flags['log-level'] !== undefined) s['log-level'] = flags['log-level'];
  if (flags.tls) s.tls = true;
  if (flags.tlsverify) s.tlsverify = true;
  for (const key of ['tlscacert', 'tlscert', 'tlskey'] as const) if (flags[key] !== undefined) s[key] = flags[key];
  // normalized as dockerd's flag does (http://x -> http://x/), which its conflict message shows
  if (flags['registry-mirror']?.length) s['registry-mirrors'] = flags['registry-mirror'].map((m) => flagValue('registry-mirror', () => parseMirror(m)));
  if (flags['insecure-registry']?.length) s['insecure-registries'] = flags['insecure-registry'];
  if (flags['log-driver'] !== undefined) s['log-driver'] = flags['log-driver'];
  if (flags['log-opt']?.length) {
    s['log-opts'] = Object.fromEntries(flags['log-opt'].map((kv) => flagValue('log-opt', () => parseKeyValue(kv))));
  }
  if (flags['default-ulimit']?.length) {
    s['default-ulimits'] = Object.fromEntries(flags['default-ulimit'].map((u) => flagValue('default-ulimit', () => parseUlimitFlag(u))).map((u: Ulimit) => [u.Name, u]));
  }
  if (flags.bip !== undefined) s.bip = flags.bip;
  if (flags.label?.length) s.labels = flags.label;
  if (flags.dns?.length) s.dns = flags.dns;
  if (flags['dns-search']?.length) s['dns-search'] = flags['dns-search'];
  if (flags['dns-opt']?.length) s['dns-opts'] = flags['dns-opt'];
  if (flags.ip !== undefined) s.ip = flags.ip;
  if (flags.mtu !== undefined) s.mtu = flags.mtu;
  if (flags.icc !== undefined) s.icc = flags.icc === 'true';
  return s;
}

function flagValue<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw invalidArgument(`invalid --${flag}: ${messageOf(err)}`);
  }
}

/** the file given with --config-file (which must exist), or the default one if it exists */
export async function readConfigFile(given: string | undefined, defaultFile = DEFAULT_CONFIG_FILE): Promise<ConfigFile | undefined> {
  const file = given ?? defaultFile;
  try {
    return { path: file, text: await fs.readFile(file, 'utf8') };
  } catch (err) {
    if (given === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalidArgument(`unable to configure boxlabd with file ${file}: ${messageOf(err)}`, {
      suggestions: given ? ['give the path of an existing file, or leave --config-file out'] : [],
    });
  }
}
