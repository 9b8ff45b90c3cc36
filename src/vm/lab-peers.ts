// Every node of a multi-node lab named in every other node's /etc/hosts (qemu). A qemu VM learns its lab
// network's peers when it is made (the lab-hosts file its init appends at boot): a node made later, for a
// lab with more nodes (worker2 for a three-node lab after two-node ones), is named in its own /etc/hosts
// but not in the older nodes', and a snapshot brings back the /etc/hosts of its time. So after the nodes
// come up and after each restore, the peers that a node lacks are written into it, in the same marked
// block the multipass lab network uses (lab-hosts-block.ts); a node that names them all is only read.
import type { Guest } from './guest.js';
import { renderHostsBlock, replaceHostsBlock } from './providers/multipass/lab-hosts-block.js';
import type { VmRecord } from './vm-record.js';

/** the nodes' lab network: name and every node's address, from the records of the qemu nodes (pure) */
export function labPeersOf(records: readonly VmRecord[]): { network: string; peers: Record<string, string> } | undefined {
  const nodes = records.filter((r) => r.provider === 'qemu' && r.spec.network);
  if (nodes.length < 2) return undefined;
  const peers: Record<string, string> = {};
  for (const r of nodes) for (const [name, address] of Object.entries(r.spec.network!.peers)) peers[name] = address.replace(/\/\d+$/, '');
  return { network: nodes[0]!.spec.network!.name, peers };
}

/** hosts with the peers it lacks written in (undefined: it names every peer at its address already; pure) */
export function hostsNamingPeers(hosts: string, network: string, peers: Record<string, string>): string | undefined {
  const named = new Set(hosts.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 2).map((f) => `${f[0]} ${f[1]}`));
  if (Object.entries(peers).every(([name, address]) => named.has(`${address} ${name}`))) return undefined;
  return replaceHostsBlock(hosts, renderHostsBlock(network, peers));
}

/** writes the lab network's peers into the /etc/hosts of each node that lacks one (the caller closes the guests) */
export async function nameLabPeers(records: readonly VmRecord[], guestOf: (name: string) => Promise<Guest>): Promise<void> {
  const lab = labPeersOf(records);
  if (!lab) return;
  const name = async (node: VmRecord) => {
    const guest = await guestOf(node.name);
    const hosts = await guest.exec(['cat', '/etc/hosts'], { timeoutMs: 30_000 });
    const next = hosts.exitCode === 0 ? hostsNamingPeers(hosts.stdout, lab.network, lab.peers) : undefined;
    if (next !== undefined) await guest.exec(['sh', '-c', 'cat > /etc/hosts'], { input: next, timeoutMs: 30_000 });
  };
  // a node that does not answer now keeps its file, as before; the lab's next command on it says why
  await Promise.all(records.filter((r) => r.spec.network).map((r) => name(r).catch(() => undefined)));
}
