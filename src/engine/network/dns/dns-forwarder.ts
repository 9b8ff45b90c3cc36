// Names the engine does not know go on to the host's own DNS servers, as Docker's embedded DNS forwards
// them: the query is sent as it is (same id, same question) over UDP to each nameserver of the host's
// /etc/resolv.conf in turn, and the first answer goes back unchanged, NXDOMAIN included. The engine runs
// in the host's network namespace, so a loopback nameserver (systemd-resolved's 127.0.0.53) works here,
// unlike inside a container.
import dgram from 'node:dgram';
import { promises as fs } from 'node:fs';
import { isIpv4 } from '../ipv4.js';

/** the IPv4 nameservers of a resolv.conf (IPv6 ones are skipped: boxlab's networks are IPv4 only) */
export function upstreamServers(resolvConf: string): string[] {
  return resolvConf.split('\n').flatMap((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1] ?? []).filter(isIpv4);
}

export async function hostUpstreams(file = '/etc/resolv.conf'): Promise<string[]> {
  return upstreamServers(await fs.readFile(file, 'utf8').catch(() => ''));
}

/** the first answer of `servers` to `query`, each given `timeoutMs`; undefined when none answered */
export async function forwardQuery(query: Buffer, servers: readonly string[], timeoutMs: number, port = 53): Promise<Buffer | undefined> {
  for (const server of servers) {
    const answer = await askOne(query, server, port, timeoutMs);
    if (answer) return answer;
  }
  return undefined;
}

function askOne(query: Buffer, server: string, port: number, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    // a socket per query: its random source port is what keeps a spoofed answer out, with the id
    const socket = dgram.createSocket('udp4');
    const done = (answer?: Buffer) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(), timeoutMs);
    socket.on('error', () => done());
    socket.on('message', (msg, from) => {
      if (from.address === server && msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg);
    });
    socket.send(query, port, server, (err) => err && done());
  });
}
