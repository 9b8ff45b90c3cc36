// Is a host port free? A DNAT rule does not bind the port, so nothing would stop two containers (or a
// host program and a container) from claiming it: before publishing, boxlabd binds the port once itself,
// as docker-proxy would, and lets go. -P picks from Docker's ephemeral range 49153-60999.
import dgram from 'node:dgram';
import net from 'node:net';

export const EPHEMERAL_RANGE = { first: 49153, last: 60999 } as const;

export function canBind(proto: 'tcp' | 'udp', hostIp: string, port: number): Promise<boolean> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve) => {
    if (proto === 'tcp') {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
    } else {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(false);
      });
      socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(true)));
    }
  });
}

/** a free port in the ephemeral range that `taken` does not hold either */
export async function pickFreePort(proto: 'tcp' | 'udp', hostIp: string, taken: (port: number) => boolean, bindable = canBind): Promise<number | undefined> {
  const span = EPHEMERAL_RANGE.last - EPHEMERAL_RANGE.first + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = EPHEMERAL_RANGE.first + ((start + i) % span);
    if (!taken(port) && (await bindable(proto, hostIp, port))) return port;
  }
  return undefined;
}
