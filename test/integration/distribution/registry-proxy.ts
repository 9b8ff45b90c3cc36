// A small HTTP proxy in front of a test registry that misbehaves on purpose: it can drop the connection
// in the middle of a blob (once), or change one byte of a blob (a registry that lies). It records the
// requests it forwarded, so tests can see the client's Range requests.
import http from 'node:http';
import type net from 'node:net';

export interface ProxyFaults {
  /** cut the first GET of this blob digest after this many bytes */
  dropBlob?: { digest: string; after: number };
  /** flip one byte in every GET of this blob digest */
  corruptBlob?: string;
}

export class RegistryProxy {
  readonly requests: Array<{ method: string; url: string; range?: string }> = [];
  private dropped = false;

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(upstreamPort: number, faults: ProxyFaults): Promise<RegistryProxy> {
    let proxy: RegistryProxy | undefined;
    const server = http.createServer((req, res) => {
      proxy!.requests.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.range ? { range: String(req.headers.range) } : {}) });
      const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        const isBlob = (d?: string) => d !== undefined && req.method === 'GET' && (req.url ?? '').endsWith(`/blobs/${d}`);
        if (isBlob(faults.dropBlob?.digest) && !proxy!.dropped && upRes.statusCode === 200) {
          proxy!.dropped = true;
          res.writeHead(200, upRes.headers);
          let sent = 0;
          upRes.on('data', (chunk: Buffer) => {
            const room = faults.dropBlob!.after - sent;
            if (room > 0) res.write(chunk.subarray(0, room));
            sent += chunk.length;
            if (sent >= faults.dropBlob!.after) {
              upRes.destroy();
              (res.socket as net.Socket).destroy(); // the connection drops mid-body
            }
          });
          return;
        }
        if (isBlob(faults.corruptBlob) && upRes.statusCode === 200) {
          res.writeHead(200, upRes.headers);
          let first = true;
          upRes.on('data', (chunk: Buffer) => {
            if (first && chunk.length > 0) {
              const copy = Buffer.from(chunk);
              copy[copy.length - 1] ^= 0xff;
              res.write(copy);
              first = false;
            } else res.write(chunk);
          });
          upRes.on('end', () => res.end());
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new RegistryProxy(server, (server.address() as net.AddressInfo).port);
    return proxy;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
