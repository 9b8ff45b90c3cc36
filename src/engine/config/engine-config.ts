// boxlabd's configuration: the command line's flags and the configuration file (daemon-json.ts) merged
// as dockerd merges them, into one typed EngineConfig the rest of the engine reads. A setting may come
// from the file or from a flag, never both: dockerd refuses that with "the following directives are
// specified both as a flag and in the configuration file: ...", and so does boxlab, in the same words.
// Then each value is read (setting-values.ts), with errors naming the file, the line and the key (or
// the flag) and the way out. Pure: the caller reads the file and gives the environment.
import os from 'node:os';
import path from 'node:path';
import { AppError, invalidArgument } from '../../core/errors.js';
import { isLogLevel, type LogLevel } from '../../core/logger.js';
import { DEFAULT_ENGINE_ROOT, DEFAULT_ENGINE_SOCKET } from '../../core/paths.js';
import { checkLogConfig, logPolicy } from '../containers/log-config.js';
import { DaemonFileError, lineOfKey, parseDaemonJson, type DaemonKey, type DaemonSettings } from './daemon-json.js';
import { parseDaemonHost, type ListenAddress } from './listen-address.js';
import { checkBindIp, checkDnsSearch, checkDnsServer, checkMtu, checkUlimit, parseBip, parseInsecureRegistry, parseLabels, parseMirror, type Ulimit } from './setting-values.js';

/** where boxlabd looks for its configuration file when --config-file is not given (read if it exists) */
export const DEFAULT_CONFIG_FILE = '/etc/boxlab/daemon.json';

export interface TlsSettings {
  /** --tlsverify: clients must show a certificate signed by caFile (dockerd's RequireAndVerifyClientCert) */
  verify: boolean;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface EngineConfig {
  /** the configuration file read, if any */
  configFile?: string;
  dataRoot: string;
  hosts: ListenAddress[];
  /** TLS on the TCP listeners (unix sockets never speak TLS, as in dockerd) */
  tls?: TlsSettings;
  debug: boolean;
  logLevel: LogLevel;
  /** "http://127.0.0.1:5000/": docker.io mirrors, in order */
  registryMirrors: string[];
  /** "myreg:5000" or CIDRs such as "10.0.0.0/8" */
  insecureRegistries: string[];
  /** the log driver and options a container gets when its create request names none (dockerd's --log-driver/--log-opt) */
  logConfig: { Type: string; Config: Record<string, string> };
  /** the ulimits a container gets unless its request sets the same one */
  defaultUlimits: Ulimit[];
  /** the default bridge network: from bip, or boxlab's --bridge-name/--bridge-subnet; its MTU (mtu), the
   *  host address -p publishes on (ip: 0.0.0.0 is every address), whether its containers reach each other (icc) */
  bridge: { name?: string; subnet?: string; gateway?: string; mtu: number; hostBindingIp: string; icc: boolean };
  /** `labels`: docker info's Labels, "key=value" */
  labels: string[];
  /** the name servers, search domains and options a container's resolv.conf gets unless it sets its own */
  dns: { servers: string[]; search: string[]; options: string[] };
}

/** what the command line gave: dockerd's settings (only the flags given) and boxlab's own bridge flags */
export interface CommandLine {
  settings: DaemonSettings;
  bridgeName?: string;
  bridgeSubnet?: string;
}

export interface ConfigFile {
  path: string;
  text: string;
}

/** the flag of each setting, for messages (dockerd's named options: registry-mirrors is --registry-mirror) */
export const FLAG_OF: Record<DaemonKey, string> = {
  'registry-mirrors': 'registry-mirror',
  'insecure-registries': 'insecure-registry',
  'log-driver': 'log-driver',
  'log-opts': 'log-opt',
  bip: 'bip',
  'default-ulimits': 'default-ulimit',
  debug: 'debug',
  'log-level': 'log-level',
  hosts: 'host',
  'data-root': 'data-root',
  tls: 'tls',
  tlsverify: 'tlsverify',
  tlscacert: 'tlscacert',
  tlscert: 'tlscert',
  tlskey: 'tlskey',
  labels: 'label',
  dns: 'dns',
  'dns-search': 'dns-search',
  'dns-opts': 'dns-opt',
  ip: 'ip',
  mtu: 'mtu',
  icc: 'icc',
};

/** a value as Go's %v prints it: [a b], map[k:v], 1024, 1.048576e+06 */
export function goFormat(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(' ')}]`;
  }
  if (typeof value === 'number') {
    const exp = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
    if (exp < -4 || exp >= 21 || (Number.isInteger(value) && exp >= 6)) return value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
    return String(value);
  }
  if (value === null) return '<nil>';
  return String(value);
}

/** a flag's value as dockerd's flag.Value.String() prints it */
function flagString(key: DaemonKey, value: unknown): string {
  if (key === 'default-ulimits') return `[${Object.values(value as Record<string, Ulimit>).map((u) => `${u.Name}=${u.Soft}:${u.Hard}`).join(' ')}]`;
  return goFormat(value);
}

/** the settings given both ways, in dockerd's words (it visits the flags in name order) */
export function findConflicts(flags: DaemonSettings, file: Record<string, unknown>, fileText: string): string | undefined {
  const both = (Object.keys(flags) as DaemonKey[]).filter((k) => flags[k] !== undefined && k in file).sort((a, b) => (FLAG_OF[a] < FLAG_OF[b] ? -1 : 1));
  if (both.length === 0) return undefined;
  const parsedFileValues = JSON.parse(fileText) as Record<string, unknown>;
  return `the following directives are specified both as a flag and in the configuration file: ${both
    .map((k) => `${k}: (from flag: ${flagString(k, flags[k])}, from file: ${goFormat(parsedFileValues[k])})`)
    .join(', ')}`;
}

/** the docker CLI's and dockerd's TLS files: $DOCKER_CERT_PATH or ~/.docker */
function certDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CERT_PATH || path.join(env.HOME || os.homedir(), '.docker');
}

/**
 * Merges the command line and the file (either may be empty) into the engine's configuration, or throws
 * an AppError whose message names the file, the key and line (or the flag), and whose hints say the fix.
 */
export function resolveEngineConfig(cli: CommandLine, file: ConfigFile | undefined, env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const fail = (message: string, hints: string[] = []) => {
    const where = file ? `unable to configure boxlabd with file ${file.path}: ` : '';
    return invalidArgument(`${where}${message}`, { suggestions: hints });
  };
  let fromFile: DaemonSettings = {};
  if (file) {
    try {
      fromFile = parseDaemonJson(file.text);
    } catch (err) {
      if (!(err instanceof DaemonFileError)) throw err;
      throw fail(`${err.line ? `line ${err.line}: ` : ''}${err.message}`, err.hints);
    }
    const conflicts = findConflicts(cli.settings, fromFile as Record<string, unknown>, file.text);
    if (conflicts) {
      const keys = (Object.keys(cli.settings) as DaemonKey[]).filter((k) => k in fromFile);
      throw fail(conflicts, keys.map((k) => `give ${k} once: remove "${k}" from ${file.path}, or drop --${FLAG_OF[k]}`));
    }
  }
  const s: DaemonSettings = { ...fromFile, ...cli.settings };
  /** reads one setting's value; an error names where it came from (file and line, or the flag) */
  const read = <T>(key: DaemonKey, parse: () => T, hint?: string): T => {
    try {
      return parse();
    } catch (err) {
      if (err instanceof AppError && err.message.startsWith('unable to configure')) throw err;
      const message = (err as Error).message;
      const hints = [...(err instanceof AppError ? err.suggestions : []), ...(hint ? [hint] : [])];
      if (key in fromFile && file) {
        const line = lineOfKey(file.text, key);
        throw fail(`${line ? `line ${line}, ` : ''}"${key}": ${message}`, hints);
      }
      throw invalidArgument(`invalid --${FLAG_OF[key]}: ${message}`, { suggestions: hints });
    }
  };

  const debug = s.debug ?? false;
  const logLevel = read('log-level', () => {
    const level = s['log-level'] === 'fatal' ? 'error' : s['log-level'] ?? (debug ? 'debug' : 'info');
    if (!isLogLevel(level)) throw new Error(`unable to parse logging level: ${level}: expected debug, info, warn, error or fatal`);
    return debug ? 'debug' : level;
  });

  const tlsOn = Boolean(s.tls || s.tlsverify);
  const dir = certDir(env);
  const tls: TlsSettings | undefined = tlsOn
    ? { verify: Boolean(s.tlsverify), caFile: s.tlscacert ?? path.join(dir, 'ca.pem'), certFile: s.tlscert ?? path.join(dir, 'cert.pem'), keyFile: s.tlskey ?? path.join(dir, 'key.pem') }
    : undefined;
  if (!tlsOn) {
    const stray = (['tlscacert', 'tlscert', 'tlskey'] as const).find((k) => s[k] !== undefined);
    if (stray) read(stray, () => { throw new Error(`${stray} is set but TLS is off: add tlsverify (clients must show a certificate) or tls`); });
  }

  const hosts = read('hosts', () => {
    const list = (s.hosts ?? []).map((h) => parseDaemonHost(h, { tls: tlsOn, defaultSocket: DEFAULT_ENGINE_SOCKET }));
    return list.length > 0 ? list : [{ proto: 'unix', path: DEFAULT_ENGINE_SOCKET } as ListenAddress];
  });

  const dataRoot = read('data-root', () => {
    const root = s['data-root'] ?? DEFAULT_ENGINE_ROOT;
    if (!('data-root' in cli.settings) && !path.isAbsolute(root)) throw new Error(`"${root}" is not an absolute path: write the full path, such as /var/lib/boxlab`);
    return path.resolve(root);
  });

  const registryMirrors = read('registry-mirrors', () => (s['registry-mirrors'] ?? []).map(parseMirror), 'a mirror is a URL with no path, such as http://127.0.0.1:5000');
  const insecureRegistries = read('insecure-registries', () => (s['insecure-registries'] ?? []).map(parseInsecureRegistry), 'an insecure registry is host:port, such as myreg.local:5000, or a CIDR such as 10.0.0.0/8');

  const logConfig = { Type: s['log-driver'] ?? 'json-file', Config: s['log-opts'] ?? {} };
  const logKey: DaemonKey = 'log-opts' in s && !('log-driver' in s) ? 'log-opts' : 'log-driver';
  // the driver and the option names first (checkLogConfig, with its own hints), then the values
  read(logKey, () => checkLogConfig({ LogConfig: logConfig }));
  read('log-opts', () => {
    try {
      logPolicy({ LogConfig: logConfig });
    } catch (err) {
      throw new Error((err as Error).message.replace(/^failed to initialize logging driver: /, 'failed to set log opts: '));
    }
  }, 'json-file takes max-size (such as 10m) and max-file (such as 3)');

  const defaultUlimits = read('default-ulimits', () =>
    Object.entries(s['default-ulimits'] ?? {}).map(([name, u]) => {
      if (u.Name !== name) throw new Error(`the ulimit under "${name}" is named "${u.Name}": write the same name twice, such as "nofile": {"Name": "nofile", ...}`);
      return checkUlimit(u);
    }),
  );

  const bridge: EngineConfig['bridge'] = {
    name: cli.bridgeName,
    subnet: cli.bridgeSubnet,
    mtu: read('mtu', () => checkMtu(s.mtu ?? 0)),
    hostBindingIp: read('ip', () => checkBindIp(s.ip ?? '0.0.0.0')),
    icc: s.icc ?? true,
  };
  if (s.bip !== undefined) {
    if (cli.bridgeSubnet !== undefined) {
      read('bip', () => { throw new Error('bip and --bridge-subnet both set the default bridge network\'s addresses: give one of them'); });
    }
    Object.assign(bridge, read('bip', () => parseBip(s.bip!)));
  }

  const labels = read('labels', () => parseLabels(s.labels ?? []));
  const dns = {
    servers: read('dns', () => (s.dns ?? []).map(checkDnsServer)),
    search: read('dns-search', () => (s['dns-search'] ?? []).map(checkDnsSearch)),
    options: s['dns-opts'] ?? [],
  };

  return { configFile: file?.path, dataRoot, hosts, tls, debug, logLevel, registryMirrors, insecureRegistries, logConfig, defaultUlimits, bridge, labels, dns };
}
