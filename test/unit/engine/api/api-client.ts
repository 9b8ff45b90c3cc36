// Test clients for a server on a unix socket: plain HTTP requests, and a raw socket for hijacking.
import http from 'node:http';
import net from 'node:net';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function request(socketPath: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString() });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** a raw connection: write a request by hand, collect everything the server sends until it closes */
export class RawClient {
  readonly socket: net.Socket;
  private data = Buffer.alloc(0);
  readonly closed: Promise<void>;
  private waiters: Array<() => void> = [];

  constructor(socketPath: string) {
    this.socket = net.createConnection({ path: socketPath, allowHalfOpen: true });
    this.socket.on('data', (c: Buffer) => {
      this.data = Buffer.concat([this.data, c]);
      this.waiters.forEach((w) => w());
    });
    this.closed = new Promise((resolve) => {
      this.socket.on('end', () => resolve());
      this.socket.on('close', () => resolve());
    });
  }

  get received(): Buffer {
    return this.data;
  }

  /** resolves when the received bytes satisfy the predicate */
  async until(predicate: (data: Buffer) => boolean, timeoutMs = 3000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.data)) {
      if (Date.now() > deadline) throw new Error(`timed out; received so far: ${JSON.stringify(this.data.toString())}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.data;
  }

  /** the bytes after the response head */
  get payload(): Buffer {
    const i = this.data.indexOf('\r\n\r\n');
    return i < 0 ? Buffer.alloc(0) : this.data.subarray(i + 4);
  }

  get head(): string {
    const i = this.data.indexOf('\r\n\r\n');
    return i < 0 ? '' : this.data.subarray(0, i).toString();
  }
}
