// The names a request brings to the network plane, checked once where the plane takes them (network
// create, connect, a container's create and start), before they reach a line of `ip -batch` input, of
// `iptables-restore` input or of a container's /etc/hosts. Those three are line-based text formats: a name
// with a newline would add a line (a command, a rule, a host entry) of the sender's choosing.
//   bridge name: the kernel's rule for interface names (dev_valid_name: 1-15 bytes, IFNAMSIZ; no "/", ":"
//                or whitespace; not "." or ".."), plus what `ip -batch` reads specially ("#" starts a
//                comment, quotes group words, "\" joins lines) and "%" (the kernel makes "br%d" a template)
//   alias, hostname: one word of /etc/hosts and a DNS name: letters, digits, "-", "_" and "."
//   addresses: dotted IPv4 (ipv4.ts)
// dockerd refuses the bridge names through the kernel ("invalid argument") and accepts the rest, which it
// never writes into a text file; boxlab does, so it refuses what would change the meaning of the file.
import { internal, invalidArgument } from '../../core/errors.js';
import { isIpv4 } from './ipv4.js';

export const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

/** Linux's IFNAMSIZ (16) minus the terminating zero */
export const MAX_INTERFACE_NAME_BYTES = 15;

/** a name as the user should see it in an error: quoted, with newlines and other controls escaped */
export const shown = (name: string) => JSON.stringify(name);

/** why `name` cannot name a network interface here, or undefined when it can */
export function interfaceNameProblem(name: string): string | undefined {
  // a line break first: it is the one that would add a command
  const bad = /\p{Cc}/u.exec(name) ?? /[\s/:#"'\\%]/u.exec(name);
  if (bad) return `it contains ${describeChar(bad[0])}`;
  const bytes = Buffer.byteLength(name);
  if (bytes === 0) return 'it is empty';
  if (bytes > MAX_INTERFACE_NAME_BYTES) return `it is ${bytes} bytes long, the kernel allows at most ${MAX_INTERFACE_NAME_BYTES}`;
  if (name === '.' || name === '..') return `it is "${name}"`;
  return undefined;
}

function describeChar(c: string): string {
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  if (/\p{Cc}/u.test(c)) return `the control character ${JSON.stringify(c)}`;
  return `"${c}"`;
}

/** -o com.docker.network.bridge.name=<name>: the kernel's rule, in dockerd's words ("invalid argument") */
export function checkBridgeName(name: string): string {
  const problem = interfaceNameProblem(name);
  if (!problem) return name;
  throw invalidArgument(
    `invalid argument: bridge name ${shown(name)} (${BRIDGE_NAME_OPTION}) is not a valid interface name: ${problem}; ` +
      'an interface name has 1 to 15 bytes, without "/", ":", "%", "#", quotes or whitespace, and is not "." or ".."',
    { suggestions: [`use letters, digits, "-", "_" and ".", e.g. -o ${BRIDGE_NAME_OPTION}=br-lab`, `or leave the option out: boxlab names the bridge br-<network id>`] },
  );
}

const HOST_WORD = /^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,253})$/;

/** a network alias (--network-alias, connect --alias): a name in /etc/hosts and in the network's DNS */
export function checkAlias(alias: unknown): string {
  if (typeof alias === 'string' && HOST_WORD.test(alias)) return alias;
  throw invalidArgument(`invalid network alias ${shown(String(alias))}: use letters, digits, "-", "_" and "." (it becomes a name in /etc/hosts and in the network's DNS)`, {
    suggestions: ['e.g. --network-alias db'],
  });
}

export function checkAliases(aliases: unknown): string[] {
  if (aliases === undefined || aliases === null) return [];
  if (!Array.isArray(aliases)) throw invalidArgument(`invalid network aliases ${shown(JSON.stringify(aliases))}: expected a list of names`);
  return aliases.map(checkAlias);
}

/** the container's hostname, written into its own /etc/hosts */
export function checkHostname(hostname: string): string {
  if (HOST_WORD.test(hostname) && hostname.length <= 63) return hostname;
  throw invalidArgument(`invalid hostname ${shown(hostname)}: use at most 63 letters, digits, "-", "_" and "." (it is written into the container's /etc/hosts)`, {
    suggestions: ['e.g. --hostname web'],
  });
}

/** --ip / IPAMConfig.IPv4Address, in dockerd's words */
export function checkIpv4Address(ip: unknown): string | undefined {
  if (ip === undefined || ip === null || ip === '') return undefined;
  if (typeof ip === 'string' && isIpv4(ip)) return ip;
  throw invalidArgument(`invalid IPv4 address: ${String(ip)}`, { suggestions: ['give four numbers 0-255, e.g. --ip 172.18.0.10'] });
}

/** Go's strconv.ParseBool, which dockerd uses for the bridge driver's boolean options */
const GO_BOOLS: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

export const BOOLEAN_BRIDGE_OPTIONS = ['com.docker.network.bridge.enable_icc', 'com.docker.network.bridge.enable_ip_masquerade'] as const;

/**
 * The driver options (-o): values must be strings; the boolean ones must parse, in dockerd's words; an
 * unknown option is kept and shown by inspect, as dockerd does.
 */
export function checkDriverOptions(options: unknown): Record<string, string> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw invalidArgument('invalid network options: expected an object of "name": "value" strings');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (typeof value !== 'string') throw invalidArgument(`invalid network option ${shown(key)}: expected a string value, found ${JSON.stringify(value)}`);
    if ((BOOLEAN_BRIDGE_OPTIONS as readonly string[]).includes(key) && !(value in GO_BOOLS)) {
      throw invalidArgument(`failed to parse ${key} value: ${value} (strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax)`, { suggestions: [`-o ${key}=true or -o ${key}=false`] });
    }
    out[key] = value;
  }
  if (out[BRIDGE_NAME_OPTION]) checkBridgeName(out[BRIDGE_NAME_OPTION]);
  return out;
}

/** a boolean driver option's value (checked by checkDriverOptions); absent: the default */
export function boolOption(options: Record<string, string>, key: (typeof BOOLEAN_BRIDGE_OPTIONS)[number], byDefault: boolean): boolean {
  const v = options[key];
  return v === undefined || v === '' ? byDefault : GO_BOOLS[v] ?? byDefault;
}

export const MTU_OPTION = 'com.docker.network.driver.mtu';

/** the MTU of a network's veths (-o com.docker.network.driver.mtu; daemon.json's mtu for the default bridge); undefined: the kernel's 1500 */
export function mtuOption(options: Record<string, string>): number | undefined {
  const v = options[MTU_OPTION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const mtu = Number(v);
  return mtu >= 68 && mtu <= 65535 && mtu !== 1500 ? mtu : undefined;
}

/**
 * The last guard, in the pure builders of `ip -batch` and `iptables-restore` input: a word that would end
 * its line or be read as something else. Reaching it means a check above was missed: a programming error.
 */
export function assertOneWord(word: string, what: string): string {
  if (word === '' || /[\s#"'\\\p{Cc}]/u.test(word)) throw refused(what, word);
  return word;
}

/** the same guard for an iptables-restore argument, which may hold spaces (it is quoted) but no line break */
export function assertOneLine(arg: string, what: string): string {
  if (/\p{Cc}/u.test(arg)) throw refused(what, arg);
  return arg;
}

const refused = (what: string, word: string) => internal(`refusing ${what} ${shown(word)}: it would change the meaning of the command input it goes into`);
