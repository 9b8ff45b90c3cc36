// A starting container and the embedded DNS (ADR 0009): the DNS server of each user network it is on
// (the first container starts it); then, as in Docker, its resolv.conf says `nameserver 127.0.0.11`,
// which its own nat table sends to the server of its primary network, or of its first user network when
// the primary one is the default bridge (dns-redirect.ts), unless --dns chose other servers. The same
// happens when a running container on the default bridge is connected to its first user network.
import { promises as fs } from 'node:fs';
import { messageOf } from '../../../core/errors.js';
import type { NetworkRecord } from '../network-record.js';
import type { PlaneContext } from '../plane-context.js';
import { EMBEDDED_DNS_ADDRESS, redirectToEngine } from './dns-redirect.js';
import { pointAtEmbeddedDns } from './resolv-conf-dns.js';

export interface ContainerDnsRequest {
  containerId: string;
  /** the container's /etc/resolv.conf (bind-mounted); absent: left alone */
  resolvConfPath?: string;
  /** --dns: the container asks these servers, not the engine */
  dnsServers?: string[] | null;
}

export async function pointAtNetworkDns(ctx: Pick<PlaneContext, 'dns' | 'trace'>, nets: NetworkRecord[], req: ContainerDnsRequest): Promise<void> {
  const listening: Array<string | undefined> = [];
  for (const n of nets) listening.push(await ctx.dns?.ensure(n, req.containerId));
  // the first network with a server: the primary one, or a user network beside the default bridge (Docker
  // gives the embedded DNS to a container on any user network, also one connected to it later)
  const i = listening.findIndex(Boolean);
  const server = listening[i];
  const ep = nets[i]?.endpoints[req.containerId];
  if (!server || !ep || !req.resolvConfPath || req.dnsServers?.length) return;
  const facts = { address: `${EMBEDDED_DNS_ADDRESS}:53`, server: `${server}:53`, network: nets[i].Name };
  try {
    ctx.trace(req.containerId, 'network.dns-redirect', { ...facts, rules: await redirectToEngine(ep.netnsPath, ep.ifName, server, ep.ip) });
  } catch (err) {
    // the container still starts: its resolv.conf keeps the host's servers, names work through /etc/hosts
    ctx.trace(req.containerId, 'network.dns-redirect', { ...facts, error: messageOf(err) });
    return;
  }
  const before = await fs.readFile(req.resolvConfPath, 'utf8');
  await fs.writeFile(req.resolvConfPath, pointAtEmbeddedDns(before, EMBEDDED_DNS_ADDRESS));
}
