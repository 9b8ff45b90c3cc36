// The engine's configuration file, in the shape of dockerd's daemon.json (/etc/boxlab/daemon.json: see
// docs/adr/0013-engine-configuration-file.md): one JSON object whose keys are dockerd's option names
// ("registry-mirrors", "log-opts", "tlsverify", ...). This module reads the text once into typed settings:
// JSON syntax first, then every key known (a typo gets "did you mean"), then each value's JSON type, as
// dockerd does (it checks names before types). What the values mean (a mirror URL, a ulimit, an address)
// is read with the flags' values by engine-config.ts. Pure.
import { closest } from '../../core/closest.js';
import type { Ulimit } from './setting-values.js';

/** what the file (or the command line) can say, under dockerd's names */
export interface DaemonSettings {
  'registry-mirrors'?: string[];
  'insecure-registries'?: string[];
  'log-driver'?: string;
  'log-opts'?: Record<string, string>;
  bip?: string;
  'default-ulimits'?: Record<string, Ulimit>;
  debug?: boolean;
  'log-level'?: string;
  hosts?: string[];
  'data-root'?: string;
  tls?: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  labels?: string[];
  dns?: string[];
  'dns-search'?: string[];
  'dns-opts'?: string[];
  ip?: string;
  mtu?: number;
  icc?: boolean;
}
export type DaemonKey = keyof DaemonSettings;

type ValueKind = 'bool' | 'int' | 'string' | 'string list' | 'string map' | 'ulimit map';

/** the keys boxlab implements, with their JSON types (dockerd's Config struct) */
export const DAEMON_KEYS: Record<DaemonKey, ValueKind> = {
  'registry-mirrors': 'string list',
  'insecure-registries': 'string list',
  'log-driver': 'string',
  'log-opts': 'string map',
  bip: 'string',
  'default-ulimits': 'ulimit map',
  debug: 'bool',
  'log-level': 'string',
  hosts: 'string list',
  'data-root': 'string',
  tls: 'bool',
  tlsverify: 'bool',
  tlscacert: 'string',
  tlscert: 'string',
  tlskey: 'string',
  labels: 'string list',
  dns: 'string list',
  'dns-search': 'string list',
  'dns-opts': 'string list',
  ip: 'string',
  mtu: 'int',
  icc: 'bool',
};

/** dockerd 20.10 keys whose value is what boxlab always does: accepted with that value only */
export const FIXED_KEYS: Record<string, unknown> = {
  'storage-driver': 'overlay2',
  'live-restore': true,
  iptables: true,
  'ip-forward': true,
  'ip-masq': true,
  'default-runtime': 'runc',
  experimental: false,
};

/** the rest of dockerd 20.10's daemon.json keys: real settings boxlab does not implement */
export const DOCKERD_ONLY_KEYS = [
  'allow-nondistributable-artifacts', 'api-cors-header', 'authorization-plugins', 'bridge', 'builder', 'cgroup-parent',
  'cluster-advertise', 'cluster-store', 'cluster-store-opts', 'containerd', 'containerd-namespace', 'containerd-plugins-namespace',
  'cpu-rt-period', 'cpu-rt-runtime', 'cri-containerd', 'default-address-pools', 'default-cgroupns-mode', 'default-gateway',
  'default-gateway-v6', 'default-ipc-mode', 'default-shm-size', 'exec-opts', 'exec-root',
  'features', 'fixed-cidr', 'fixed-cidr-v6', 'group', 'host-gateway-ip', 'init', 'init-path', 'ip6tables', 'ipv6',
  'max-concurrent-downloads', 'max-concurrent-uploads', 'max-download-attempts', 'metrics-addr',
  'network-control-plane-mtu', 'no-new-privileges', 'node-generic-resources', 'oom-score-adjust', 'pidfile', 'raw-logs',
  'rootless', 'runtimes', 'seccomp-profile', 'selinux-enabled', 'shutdown-timeout', 'storage-opts', 'swarm-default-advertise-addr',
  'userland-proxy', 'userland-proxy-path', 'userns-remap',
];

/** an error in the file: the message and, when it is about one key, that key's line */
export class DaemonFileError extends Error {
  constructor(
    message: string,
    readonly hints: string[] = [],
    readonly line?: number,
  ) {
    super(message);
  }
}

/** the line (1-based) where "key" first appears as a key in the text */
export function lineOfKey(text: string, key: string): number | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`"${escaped}"\\s*:`).exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** Go's name of a JSON value's type, as encoding/json says it ("cannot unmarshal string into ...") */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

const EXAMPLES: Record<ValueKind, string> = {
  bool: 'true or false',
  int: 'a whole number without quotes, such as 1400',
  string: 'a string in quotes',
  'string list': 'a list of strings, such as ["a", "b"]',
  'string map': 'an object of strings, such as {"max-size": "10m"}',
  'ulimit map': 'an object such as {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}',
};

function typeError(key: string, kind: ValueKind, found: string, text: string): DaemonFileError {
  return new DaemonFileError(`"${key}" must be ${EXAMPLES[kind]}; found ${found}`, [], lineOfKey(text, key));
}

function checkValue(key: DaemonKey, value: unknown, text: string): unknown {
  const kind = DAEMON_KEYS[key];
  const found = (v: unknown) => (typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${jsonType(v)} ${JSON.stringify(v)}`);
  switch (kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw typeError(key, kind, found(value), text);
      return value;
    case 'int':
      if (!Number.isInteger(value)) throw typeError(key, kind, found(value), text);
      return value;
    case 'string':
      if (typeof value !== 'string') throw typeError(key, kind, found(value), text);
      return value;
    case 'string list':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw typeError(key, kind, found(value), text);
      return value;
    case 'string map': {
      if (jsonType(value) !== 'object') throw typeError(key, kind, found(value), text);
      const entries = Object.entries(value as Record<string, unknown>);
      const bad = entries.find(([, v]) => typeof v !== 'string');
      if (bad) throw new DaemonFileError(`"${key}": the value of "${bad[0]}" must be a string in quotes; found ${found(bad[1])}`, [`write "${bad[0]}": "${String(bad[1])}"`], lineOfKey(text, key));
      return Object.fromEntries(entries);
    }
    case 'ulimit map': {
      if (jsonType(value) !== 'object') throw typeError(key, kind, found(value), text);
      const out: Record<string, Ulimit> = {};
      for (const [name, u] of Object.entries(value as Record<string, unknown>)) {
        const o = u as Record<string, unknown>;
        const ok = jsonType(u) === 'object' && Number.isInteger(o.Soft) && Number.isInteger(o.Hard) && (o.Name === undefined || typeof o.Name === 'string');
        if (!ok) throw typeError(`${key}.${name}`, kind, found(u), text);
        const unknownField = Object.keys(o).find((f) => !['Name', 'Soft', 'Hard'].includes(f));
        if (unknownField) throw new DaemonFileError(`"${key}": "${name}" has an unknown field "${unknownField}": a ulimit has Name, Soft and Hard`, [], lineOfKey(text, key));
        out[name] = { Name: (o.Name as string | undefined) ?? name, Hard: o.Hard as number, Soft: o.Soft as number };
      }
      return out;
    }
  }
}

/**
 * The settings of a daemon.json text. Throws a DaemonFileError naming the key (and its line) for bad
 * JSON, unknown keys (with the nearest known ones), dockerd settings boxlab does not implement, and
 * values of the wrong JSON type.
 */
export function parseDaemonJson(text: string): DaemonSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // JSON.parse names a character position: the line is what an editor shows
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    const hints = ['the file must be one JSON object, such as {"debug": true}; keys in double quotes, no comma after the last entry'];
    throw new DaemonFileError(`invalid JSON: ${message}`, hints, line);
  }
  if (jsonType(json) !== 'object') throw new DaemonFileError(`expected one JSON object, such as {"debug": true}; found ${jsonType(json)}`);
  const entries = Object.entries(json as Record<string, unknown>);

  // dockerd: "the following directives don't match any configuration option: ..."
  const known = new Set<string>([...Object.keys(DAEMON_KEYS), ...Object.keys(FIXED_KEYS), ...DOCKERD_ONLY_KEYS]);
  const unknown = entries.map(([k]) => k).filter((k) => !known.has(k)).sort();
  if (unknown.length > 0) {
    const hints = unknown.map((k) => {
      const near = closest(k, Object.keys(DAEMON_KEYS));
      return near.length > 0 ? `"${k}" (line ${lineOfKey(text, k)}): did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : `"${k}" (line ${lineOfKey(text, k)}): remove it; boxlab reads ${Object.keys(DAEMON_KEYS).join(', ')}`;
    });
    throw new DaemonFileError(`the following directives don't match any configuration option: ${unknown.join(', ')}`, hints, lineOfKey(text, unknown[0]));
  }
  for (const [key, value] of entries) {
    if (DOCKERD_ONLY_KEYS.includes(key)) {
      throw new DaemonFileError(`"${key}" is a dockerd setting boxlab does not implement`, [`remove "${key}" from the file; boxlab reads ${Object.keys(DAEMON_KEYS).join(', ')}`], lineOfKey(text, key));
    }
    if (key in FIXED_KEYS && JSON.stringify(value) !== JSON.stringify(FIXED_KEYS[key])) {
      throw new DaemonFileError(`"${key}": boxlab always runs with ${JSON.stringify(FIXED_KEYS[key])}; found ${JSON.stringify(value)}`, [`remove "${key}" or write "${key}": ${JSON.stringify(FIXED_KEYS[key])}`], lineOfKey(text, key));
    }
  }
  const settings: Record<string, unknown> = {};
  for (const [key, value] of entries) if (key in DAEMON_KEYS) settings[key] = checkValue(key as DaemonKey, value, text);
  return settings as DaemonSettings;
}
