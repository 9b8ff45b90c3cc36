// A small client for boxlabd's API over its unix socket, for boxlab's own commands (explain, image bake).
// Students use the real docker CLI; this is not a second docker client.
import http from 'node:http';
import type { Readable } from 'node:stream';
import { AppError } from '../core/errors.js';
import { DEFAULT_ENGINE_SOCKET } from '../core/paths.js';

export interface EngineResponse {
  status: number;
  body: Buffer;
}

export class EngineClient {
  constructor(readonly socketPath: string = process.env.BOXLAB_SOCKET ?? DEFAULT_ENGINE_SOCKET) {}

  request(method: string, path: string, body?: unknown | Readable, headers: Record<string, string> = {}): Promise<EngineResponse> {
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: this.socketPath, method, path: `/v1.41${path}`, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          new AppError('UNAVAILABLE', `cannot reach boxlabd at ${this.socketPath}: ${err.code ?? err.message}`, {
            suggestions: ['start the engine: boxlab engine start', 'or point BOXLAB_SOCKET at its socket'],
            cause: err,
          }),
        ),
      );
      if (body && typeof (body as Readable).pipe === 'function') {
        (body as Readable).pipe(req);
      } else {
        if (body !== undefined) {
          req.setHeader('Content-Type', 'application/json');
          req.write(JSON.stringify(body));
        }
        req.end();
      }
    });
  }

  /** a JSON request; non-2xx answers become AppErrors carrying the engine's message */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    const text = res.body.toString('utf8');
    if (res.status >= 400) {
      let message = text;
      let suggestions: string[] | undefined;
      try {
        const body = JSON.parse(text) as { message?: string; suggestions?: string[] };
        message = body.message ?? text;
        suggestions = body.suggestions;
      } catch {
        /* plain text error */
      }
      const code = res.status === 404 ? 'NOT_FOUND' : res.status === 409 ? 'ALREADY_EXISTS' : res.status === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL';
      throw new AppError(code, message, { suggestions });
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}
