// One request from the browser to a published port in the sandbox, passed through the lab server. The
// answer comes back with a Content-Security-Policy `sandbox` (no allow-same-origin): a page a container
// serves runs as an opaque origin, so its scripts cannot call the lab server's API or its terminal (the
// origin check refuses "null"), and its cookies are dropped (they would land on the lab server's origin).
import http from 'node:http';
import type { Duplex } from 'node:stream';

/** opens a TCP stream to a port on the sandbox's loopback */
export type PortOpener = (port: number) => Promise<Duplex>;

export const PROXIED_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

/** request headers that are the lab server's business, not the container's */
const DROP_REQUEST = new Set(['cookie', 'host', 'origin', 'referer', 'connection', 'upgrade', 'proxy-authorization']);
const DROP_RESPONSE = new Set(['set-cookie', 'content-security-policy', 'connection', 'transfer-encoding', 'keep-alive']);

export async function proxyToPort(req: http.IncomingMessage, res: http.ServerResponse, open: PortOpener, port: number, pathAndQuery: string): Promise<void> {
  let stream: Duplex;
  try {
    stream = await open(port);
  } catch (err) {
    return refuse(res, port, (err as Error).message);
  }
  const headers: http.OutgoingHttpHeaders = { host: `127.0.0.1:${port}` };
  for (const [k, v] of Object.entries(req.headers)) if (!DROP_REQUEST.has(k) && v !== undefined) headers[k] = v;
  await new Promise<void>((resolve) => {
    const upstream = http.request({ method: req.method, path: pathAndQuery, headers, createConnection: () => stream as never }, (answer) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!DROP_RESPONSE.has(k) && v !== undefined) out[k] = v;
      res.writeHead(answer.statusCode ?? 502, { ...out, 'Content-Security-Policy': PROXIED_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', () => (res.destroy(), resolve()));
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) refuse(res, port, err.message);
      else res.destroy();
      resolve();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
}

function refuse(res: http.ServerResponse, port: number, why: string): void {
  res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`nothing answers on port ${port} in the sandbox (${why}): is the container running, and does it listen on the port you published?\n`);
}
