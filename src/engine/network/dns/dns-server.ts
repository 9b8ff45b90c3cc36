// The engine's DNS server for one user-defined network: Docker's embedded DNS (127.0.0.11 in every
// container), boxlab's way: one UDP socket on the network's gateway address, port 53, which the
// containers' resolv.conf names (ADR 0009). Names of containers (name, --network-alias, short id) are
// answered from the engine's records; other names are forwarded to the host's resolvers (dns-forwarder.ts).
import dgram from 'node:dgram';
import { buildAnswer, parseQuery, QTYPE, RCODE, type DnsQuery } from './dns-message.js';

/** what the network plane knows about a name, asked by the container at `client` */
export type DnsLookup =
  /** the client is not a container on this network: it gets no answer about it */
  | { kind: 'refused' }
  /** a container's name on one of the client's networks */
  | { kind: 'container'; addresses: string[] }
  /** not a container's name: forwarded */
  | { kind: 'other' };

export interface DnsServerOptions {
  /** the network's gateway address */
  address: string;
  port?: number;
  lookup(name: string, client: string): DnsLookup;
  /** the host's nameservers, read at each forward (resolv.conf may change) */
  upstreams(): Promise<string[]>;
  forward(query: Buffer, servers: string[], timeoutMs: number): Promise<Buffer | undefined>;
  /** told after each answer from the records (for the trace) */
  answered?(name: string, client: string, addresses: string[]): void;
  /** per upstream server; a resolver in the container waits about 5 s before it asks again */
  forwardTimeoutMs?: number;
}

export class DnsServer {
  private socket?: dgram.Socket;

  constructor(private readonly options: DnsServerOptions) {}

  get address(): string {
    return this.options.address;
  }

  /** the bound port (53; tests bind port 0) */
  get port(): number | undefined {
    return this.socket?.address().port;
  }

  /** binds the socket; rejects with the bind error (EADDRINUSE, EADDRNOTAVAIL) */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
      socket.once('error', reject);
      socket.on('message', (msg, from) => void this.handle(msg, from.address, from.port).catch(() => undefined));
      socket.bind(this.options.port ?? 53, this.options.address, () => {
        socket.off('error', reject);
        // a send that fails (the client is gone) must not end the engine
        socket.on('error', () => undefined);
        this.socket = socket;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    return new Promise((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
  }

  private async handle(msg: Buffer, client: string, port: number): Promise<void> {
    const q = parseQuery(msg);
    if (!q) return;
    const reply = await this.answer(q, msg, client);
    this.socket?.send(reply, port, client);
  }

  /** the reply to one query from `client` */
  async answer(q: DnsQuery, raw: Buffer, client: string): Promise<Buffer> {
    const found = this.options.lookup(q.name, client);
    if (found.kind === 'refused') return buildAnswer(q, RCODE.REFUSED);
    if (found.kind === 'container') {
      // the name is a container's: A gets its address, AAAA and the rest "no record of this type" (IPv4 networks)
      const addresses = q.qtype === QTYPE.A || q.qtype === QTYPE.ANY ? found.addresses : [];
      if (addresses.length) this.options.answered?.(q.name, client, addresses);
      return buildAnswer(q, RCODE.NOERROR, addresses);
    }
    const servers = await this.options.upstreams();
    // no upstream at all: say so at once, rather than let the client wait for a timeout
    if (servers.length === 0) return buildAnswer(q, RCODE.SERVFAIL);
    return (await this.options.forward(raw, servers, this.options.forwardTimeoutMs ?? 2000)) ?? buildAnswer(q, RCODE.SERVFAIL);
  }
}
