// The three files Docker writes for each container and bind-mounts over the image's: /etc/hostname,
// /etc/hosts and /etc/resolv.conf. They live in the container's folder (inspect shows HostnamePath,
// HostsPath, ResolvConfPath). Pure builders; the service writes them.
import { invalidArgument } from '../../core/errors.js';
import type { HostConfig } from '../docker-model.js';
import type { EngineDns } from './container-defaults.js';

export function buildHostname(hostname: string): string {
  return `${hostname}\n`;
}

const DEFAULT_HOSTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/**
 * --add-host entries come as "name:ip". Each becomes one line: an entry with a line break or a tab could
 * add lines of its own, so it is refused here too (create refuses it first; this is the second wall,
 * for records written before that check existed).
 */
export function buildHosts(extraHosts: readonly string[] = [], hostsOfHost?: string): string {
  const lines = hostsOfHost !== undefined ? hostsOfHost.replace(/\n$/, '').split('\n') : [...DEFAULT_HOSTS];
  for (const entry of extraHosts) {
    const i = entry.indexOf(':');
    if (/[\x00-\x1f\x7f]/.test(entry)) throw invalidArgument(`invalid add-host entry ${JSON.stringify(entry)}: a host name or address cannot contain tabs, line breaks or other control characters`);
    if (i > 0) lines.push(`${entry.slice(i + 1)}\t${entry.slice(0, i)}`);
  }
  return lines.join('\n') + '\n';
}

export const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

/**
 * Docker's rule: start from the host's resolv.conf; a nameserver on 127.0.0.0/8 (or ::1) means nothing
 * inside the container's own network namespace, so drop it, and use Google's public DNS when none is
 * left. --dns, --dns-search and --dns-option replace the matching lines. With --network host the
 * host's file is used as it is. The engine's dns, dns-search and dns-opts (daemon.json) fill each of the
 * three the container leaves empty: `--dns 9.9.9.9` keeps the engine's search domains, as in dockerd.
 */
export function buildResolvConf(hostResolvConf: string, hostConfig: HostConfig = {}, hostNetwork = false, engine?: EngineDns): string {
  const lines = hostResolvConf.split('\n');
  const isLocal = (ip: string) => /^127\./.test(ip) || ip === '::1';
  let nameservers = lines.flatMap((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1] ?? []);
  let search = lines.flatMap((l) => /^\s*(?:search|domain)\s+(.+)$/.exec(l)?.[1].trim().split(/\s+/) ?? []);
  let options = lines.flatMap((l) => /^\s*options\s+(.+)$/.exec(l)?.[1].trim().split(/\s+/) ?? []);
  if (!hostNetwork) {
    nameservers = nameservers.filter((ns) => !isLocal(ns));
    if (nameservers.length === 0) nameservers = [...FALLBACK_NAMESERVERS];
  }
  const dns = hostConfig.Dns?.length ? hostConfig.Dns : engine?.servers;
  const dnsSearch = hostConfig.DnsSearch?.length ? hostConfig.DnsSearch : engine?.search;
  const dnsOptions = hostConfig.DnsOptions?.length ? hostConfig.DnsOptions : engine?.options;
  if (dns?.length) nameservers = [...dns];
  if (dnsSearch?.length) search = dnsSearch.filter((d) => d !== '.'); // "." means no search domain
  if (dnsOptions?.length) options = [...dnsOptions];
  const out: string[] = [];
  if (search.length) out.push(`search ${search.join(' ')}`);
  for (const ns of nameservers) out.push(`nameserver ${ns}`);
  if (options.length) out.push(`options ${options.join(' ')}`);
  return out.join('\n') + '\n';
}
