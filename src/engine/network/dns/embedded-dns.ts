// The DNS servers of the network plane: one per user-defined network with a running container (the
// default bridge has none: as in Docker, containers there only find the ones they --link to). It answers
// from the plane's records, so a container started later, an alias, or a container that is gone is
// right at once, without rewriting anyone's /etc/hosts. A client only gets answers about the networks
// it is on: a query from an address that is no container of the network is REFUSED.
import { messageOf } from '../../../core/errors.js';
import type { Tracer } from '../../trace/tracer.js';
import type { NetworkRecord } from '../network-record.js';
import { forwardQuery, hostUpstreams } from './dns-forwarder.js';
import { DnsServer, type DnsLookup } from './dns-server.js';

/** one trace event per (container, name, client) in this time: a client that polls a name must not flood it */
const TRACE_EVERY_MS = 60_000;

export interface EmbeddedDnsOptions {
  tracer: Tracer;
  /** the plane's networks as they are now */
  networks(): Iterable<NetworkRecord>;
  port?: number;
  /** the host's resolv.conf, for forwarding (default /etc/resolv.conf) */
  hostResolvConf?: string;
}

export class EmbeddedDns {
  private readonly servers = new Map<string, DnsServer>();
  private readonly traced = new Map<string, number>();

  constructor(private readonly options: EmbeddedDnsOptions) {}

  /** the address of network `n`'s server once it listens; undefined if it cannot (the reason goes to `containerId`'s trace) */
  async ensure(n: NetworkRecord, containerId?: string): Promise<string | undefined> {
    if (n.isDefault) return undefined;
    if (this.servers.has(n.Id)) return n.Gateway;
    const server = new DnsServer({
      address: n.Gateway,
      port: this.options.port,
      lookup: (name, client) => this.lookup(n.Id, name, client),
      upstreams: () => hostUpstreams(this.options.hostResolvConf),
      forward: (query, servers, timeoutMs) => forwardQuery(query, servers, timeoutMs),
      answered: (name, client, addresses) => this.traceAnswer(n.Id, name, client, addresses),
    });
    try {
      await server.start();
    } catch (err) {
      // e.g. another DNS server (dnsmasq) holds 0.0.0.0:53: names still work through /etc/hosts
      if (containerId) this.options.tracer.emit(containerId, 'network.dns-server', { network: n.Name, address: `${n.Gateway}:53`, error: messageOf(err) });
      return undefined;
    }
    this.servers.set(n.Id, server);
    if (containerId) this.options.tracer.emit(containerId, 'network.dns-server', { network: n.Name, address: `${n.Gateway}:${server.port ?? 53}` });
    return n.Gateway;
  }

  async stop(networkId: string): Promise<void> {
    const server = this.servers.get(networkId);
    this.servers.delete(networkId);
    await server?.stop();
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.servers.keys()]) await this.stop(id);
  }

  /** what `client` (an address on network `networkId`) may learn about `name` */
  lookup(networkId: string, name: string, client: string): DnsLookup {
    const all = [...this.options.networks()];
    const asked = all.find((n) => n.Id === networkId);
    const self = asked && Object.values(asked.endpoints).find((e) => e.ip === client);
    if (!self) return { kind: 'refused' };
    const addresses: string[] = [];
    // Docker answers for every user network the client is on, not only the one it asked through
    for (const n of all) {
      if (n.isDefault || !n.endpoints[self.containerId]) continue;
      for (const ep of Object.values(n.endpoints)) {
        const names = [ep.name, ...(n.members[ep.containerId]?.aliases ?? []), ep.containerId.slice(0, 12)];
        if (names.some((x) => x.toLowerCase() === name)) addresses.push(ep.ip);
      }
    }
    return addresses.length ? { kind: 'container', addresses: [...new Set(addresses)] } : { kind: 'other' };
  }

  /** "web was resolved to 172.18.0.2 by the engine's DNS", in web's trace (what `boxlab explain web` shows) */
  private traceAnswer(networkId: string, name: string, client: string, addresses: string[]): void {
    const all = [...this.options.networks()];
    const via = all.find((n) => n.Id === networkId);
    const asker = via && Object.values(via.endpoints).find((e) => e.ip === client);
    if (!via || !asker) return;
    const now = Date.now();
    if (this.traced.size > 1000) for (const [k, t] of this.traced) if (t <= now - TRACE_EVERY_MS) this.traced.delete(k);
    for (const n of all) {
      if (!n.endpoints[asker.containerId]) continue;
      for (const ep of Object.values(n.endpoints)) {
        const key = `${ep.containerId} ${name} ${client}`;
        if (!addresses.includes(ep.ip) || (this.traced.get(key) ?? 0) > now - TRACE_EVERY_MS) continue;
        this.traced.set(key, now);
        this.options.tracer.emit(ep.containerId, 'network.dns', { name, ip: ep.ip, client: asker.name, clientIp: client, network: n.Name, server: `${via.Gateway}:53` });
      }
    }
  }
}
