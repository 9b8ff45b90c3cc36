// The ports a student published with `docker run -p`, opened from the page through the lab server, as
// Killercoda and Play with Docker do: the sandbox (a VM) is not reachable from the browser, the lab server
// is. Each port gets a capability address `/ports/<host port>/<key>/`, where the key is an HMAC of the
// page's token and the port: it opens that port and nothing else, so the pages a container serves (other
// people's images) never hold the token that opens the terminal. Pure, but for the engine query.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export interface PublishedPort {
  /** the container's name, without Docker's leading slash */
  container: string;
  containerPort: number;
  hostPort: number;
  /** the address on the page: /ports/<hostPort>/<key>/ */
  url: string;
}

/** the key of one port's address: HMAC-SHA256(token, "port:<n>"), 22 base64url characters */
export function portKey(token: string, hostPort: number): string {
  return createHmac('sha256', token).update(`port:${hostPort}`).digest('base64url').slice(0, 22);
}

export function portUrl(token: string, hostPort: number): string {
  return `/ports/${hostPort}/${portKey(token, hostPort)}/`;
}

export interface PortPath {
  port: number;
  key: string;
  /** the path on the container's server, from its own "/" */
  rest: string;
}

/** "/ports/8080/<key>/a/b" -> {port 8080, key, rest "/a/b"}; undefined for anything else */
export function parsePortPath(pathname: string): PortPath | undefined {
  const m = /^\/ports\/(\d{1,5})\/([A-Za-z0-9_-]{22})(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return undefined;
  return { port, key: m[2], rest: m[3] ?? '/' };
}

export function portKeyMatches(token: string, p: PortPath): boolean {
  const want = Buffer.from(portKey(token, p.port));
  const got = Buffer.from(p.key);
  return want.length === got.length && timingSafeEqual(want, got);
}

interface ContainerSummary {
  Names?: string[];
  Ports?: Array<{ PrivatePort?: number; PublicPort?: number; Type?: string }>;
}

/** the published TCP ports in GET /containers/json, one row per host port, in port order */
export function publishedPorts(containers: ContainerSummary[], token: string): PublishedPort[] {
  const rows = new Map<number, PublishedPort>();
  for (const c of containers) {
    for (const p of c.Ports ?? []) {
      if (p.Type !== 'tcp' || !p.PublicPort || !p.PrivatePort || rows.has(p.PublicPort)) continue;
      rows.set(p.PublicPort, { container: (c.Names?.[0] ?? '').replace(/^\//, ''), containerPort: p.PrivatePort, hostPort: p.PublicPort, url: portUrl(token, p.PublicPort) });
    }
  }
  return [...rows.values()].sort((a, b) => a.hostPort - b.hostPort);
}

/** the running containers, from the engine on `socket` (empty when it does not answer) */
export function runningContainers(socket: string): Promise<ContainerSummary[]> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/v1.41/containers/json' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          resolve(res.statusCode === 200 && Array.isArray(body) ? (body as ContainerSummary[]) : []);
        } catch {
          resolve([]);
        }
      });
      res.on('error', () => resolve([]));
    });
    req.on('error', () => resolve([]));
    req.setTimeout(5000, () => req.destroy());
  });
}
