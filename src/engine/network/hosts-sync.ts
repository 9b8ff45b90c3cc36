// Every running container's /etc/hosts, with the names it can reach: on user networks the containers it
// shares a network with (name, --network-alias, short id), and anywhere the ones it --links to. The
// text is built from the records (hostsFiles, pure); the files are rewritten in place, since each is
// bind-mounted into its container, and only when the engine's part of them changes. Lines a user appended
// (`echo "1.2.3.4 foo" >> /etc/hosts`) stay below the engine's part, as dockerd's etchosts keeps them:
// another container joining a network must not undo a student's edit (nextHostsText, pure). What the engine
// last wrote is kept next to the file (`hosts.engine`), so the edit survives an engine restart too.
import { promises as fs } from 'node:fs';
import { hostsSection, parseLink, type HostsPeer } from './hosts-entries.js';
import type { LiveEndpoint, NetworkBook } from './network-book.js';
import type { NetworkRecord } from './network-record.js';
import type { PlaneContext } from './plane-context.js';

export interface HostsFile {
  containerId: string;
  path: string;
  text: string;
  peers: HostsPeer[];
}

/** the /etc/hosts of each container with an endpoint that has one (its primary endpoint's) */
export function hostsFiles(networks: NetworkRecord[], memberNetworks: (containerId: string) => NetworkRecord[]): HostsFile[] {
  const all = networks.flatMap((n) => Object.values(n.endpoints).map((ep) => ({ n, ep: ep as LiveEndpoint })));
  const holders = new Map<string, LiveEndpoint>();
  for (const { ep } of all) if (ep.hostsPath && (!holders.has(ep.containerId) || ep.primary)) holders.set(ep.containerId, ep);
  const out: HostsFile[] = [];
  for (const [containerId, self] of holders) {
    const peers: HostsPeer[] = [];
    for (const { n, ep } of all) {
      if (ep.containerId === containerId || n.isDefault || !n.endpoints[containerId]) continue;
      const m = n.members[ep.containerId];
      peers.push({ ip: ep.ip, names: [ep.name, ...(m?.aliases ?? []), ep.containerId.slice(0, 12)] });
    }
    const links = memberNetworks(containerId).flatMap((n) => n.members[containerId]?.links ?? []);
    for (const link of links) {
      const { target, alias } = parseLink(link);
      const found = all.find(({ ep }) => ep.name === target);
      if (found) peers.push({ ip: found.ep.ip, names: [alias, found.ep.containerId.slice(0, 12), target] });
    }
    const text = (self.hostsBase ?? '') + hostsSection({ ip: self.ip, hostname: self.hostname ?? containerId.slice(0, 12) }, peers);
    out.push({ containerId, path: self.hostsPath!, text, peers });
  }
  return out;
}

/**
 * The file's next text, or undefined to leave it as it is. `written` is what this engine last wrote there
 * (unknown after an engine restart): what follows it in the file is the user's and is kept.
 */
export function nextHostsText(current: string, written: string | undefined, wanted: string): string | undefined {
  if (current.startsWith(wanted) && (written === undefined || written === wanted)) return undefined;
  if (written !== undefined && current.startsWith(written)) return wanted + current.slice(written.length);
  return wanted;
}

/** where the engine keeps what it last wrote into a hosts file (the user's lines are what follows it) */
export const writtenPathOf = (hostsPath: string): string => `${hostsPath}.engine`;

/** writes the files whose engine part changed (a file that is gone belongs to a container being removed: skipped) */
export async function writeAllHosts(ctx: { book: NetworkBook; trace: PlaneContext['trace'] }): Promise<void> {
  for (const file of hostsFiles(ctx.book.all(), (id) => ctx.book.memberNetworks(id))) {
    const before = await fs.readFile(file.path, 'utf8').catch(() => undefined);
    if (before === undefined) continue;
    const written = await fs.readFile(writtenPathOf(file.path), 'utf8').catch(() => undefined);
    const next = nextHostsText(before, written, file.text);
    if (written !== file.text) await fs.writeFile(writtenPathOf(file.path), file.text);
    if (next === undefined) continue;
    await fs.writeFile(file.path, next);
    if (file.peers.length) ctx.trace(file.containerId, 'network.hosts', { path: file.path, names: file.peers.map((p) => `${p.names[0]}=${p.ip}`) });
  }
}
