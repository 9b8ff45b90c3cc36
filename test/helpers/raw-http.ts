// HTTP/1.1 requests written by hand on a unix socket, for what the docker CLI and Node's client never
// send: bodies declared larger than they are, bodies trickled in pieces, Upgrade requests with a body.
import net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** the body's `message` when it is Docker's JSON error */
  message?: string;
}

export interface RawRequest {
  method: string;
  path: string;
  /** sent now; more can follow with write() */
  body?: Buffer | string;
  /** the Content-Length to declare (default: the body's length) */
  contentLength?: number;
  /** ask for Docker's hijack (`Connection: Upgrade`, `Upgrade: tcp`) as exec start does */
  upgrade?: boolean;
}

/** an open request: its answer when it comes, and the socket to write more of the body on */
export interface OpenRequest {
  socket: net.Socket;
  answer: Promise<RawAnswer>;
  /** has the engine answered yet? */
  answered(): boolean;
  /** writes more body, waiting for the socket to drain; false once the engine answered or closed */
  write(chunk: Buffer): Promise<boolean>;
}

export function openRequest(socketPath: string, req: RawRequest): OpenRequest {
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : (req.body ?? Buffer.alloc(0));
  const socket = net.connect(socketPath);
  socket.on('error', () => {}); // the engine may close while we still write: the answer says why
  const head = [
    `${req.method} /v1.41${req.path} HTTP/1.1`,
    'Host: docker',
    'Content-Type: application/json',
    `Content-Length: ${req.contentLength ?? body.length}`,
    ...(req.upgrade ? ['Connection: Upgrade', 'Upgrade: tcp'] : []),
  ];
  socket.write(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n'), body]));
  let done = false;
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    let got = Buffer.alloc(0);
    const tryParse = (ended: boolean) => {
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return ended ? reject(new Error(`connection closed before an answer: ${JSON.stringify(got.toString())}`)) : undefined;
      const [statusLine, ...lines] = got.subarray(0, end).toString().split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const rest = got.subarray(end + 4);
      const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
      if (length === undefined ? !ended : rest.length < length) return;
      const text = rest.subarray(0, length ?? rest.length).toString();
      let message: string | undefined;
      try {
        message = (JSON.parse(text) as { message?: string }).message;
      } catch {
        message = undefined;
      }
      done = true;
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: text, message });
    };
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      tryParse(false);
    });
    socket.on('close', () => {
      if (!done) tryParse(true);
    });
  });
  return {
    socket,
    answer,
    answered: () => done,
    // an engine that answered and stopped reading leaves a write pending for ever: the answer ends the wait
    write: (chunk) =>
      Promise.race([
        new Promise<boolean>((resolve) => {
          if (socket.destroyed || !socket.writable) return resolve(false);
          socket.write(chunk, (err) => resolve(!err && !socket.destroyed));
        }),
        answer.then(
          () => false,
          () => false,
        ),
      ]),
  };
}

/** one request, its answer, the connection closed */
export async function rawRequest(socketPath: string, req: RawRequest): Promise<RawAnswer> {
  const open = openRequest(socketPath, req);
  try {
    return await open.answer;
  } finally {
    open.socket.destroy();
  }
}
