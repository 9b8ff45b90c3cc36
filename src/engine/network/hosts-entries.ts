// Names on user networks in /etc/hosts: besides the engine's DNS server at 127.0.0.11 (dns/, ADR 0009),
// the engine writes the names of the containers on a network (name, short id, --network-alias) into the
// /etc/hosts of every container on it, and rewrites those files when a container comes or goes
// (docs/adr/0007-port-publishing.md), for programs that read the file rather than ask a resolver. On the
// default bridge, as in Docker, containers only find the ones they --link to. The file is text, one
// address and its names a line: each name and address goes through assertOneWord (network-names.ts).
import { assertOneWord } from './network-names.js';

export interface HostsPeer {
  ip: string;
  names: string[];
}

/** the lines boxlab adds below the base /etc/hosts: the container's own address first, as Docker does */
export function hostsSection(self: { ip?: string; hostname: string }, peers: HostsPeer[]): string {
  const lines: string[] = [];
  const word = (w: string) => assertOneWord(w, '/etc/hosts entry');
  if (self.ip) lines.push(`${word(self.ip)}\t${word(self.hostname)}`);
  if (peers.length) lines.push('# boxlab: containers on the same user-defined networks (and --link)');
  for (const p of peers) if (p.names.length) lines.push(`${word(p.ip)}\t${[...new Set(p.names)].map(word).join(' ')}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** "db:database" -> { target: 'db', alias: 'database' }; "db" -> alias db */
export function parseLink(link: string): { target: string; alias: string } {
  const [target, alias] = link.replace(/^\//, '').split(':');
  return { target: target.replace(/^\//, ''), alias: (alias ?? target).replace(/^.*\//, '') };
}
