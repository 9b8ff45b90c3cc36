// A test double of Docker Hub's auth service (auth.docker.io/token): answers GET /token?service=&scope=
// with a JWT the real docker-registry accepts (token auth, distribution's token spec): RS256-signed by a
// throwaway self-signed certificate, named in the x5c header, which the registry trusts through its
// rootcertbundle. Known users get the actions they ask for; anonymous callers get a token with no access
// (as Docker Hub does), so the registry answers 401 and the client reports "pull access denied".
import { createPrivateKey, createSign, randomBytes, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';

export const TOKEN_SERVICE = 'boxlab-test-registry';
export const TOKEN_ISSUER = 'boxlab-test-issuer';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class TokenServer {
  readonly requests: Array<{ scope: string; service: string | null; account: string | null; user?: string }> = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    readonly certFile: string,
  ) {}

  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }

  static async start(dir: string, users: Record<string, string>): Promise<TokenServer> {
    const keyFile = path.join(dir, 'token.key');
    const certFile = path.join(dir, 'token.crt');
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=boxlab-test-token']);
    const key = createPrivateKey(await fs.readFile(keyFile));
    const certDer = new X509Certificate(await fs.readFile(certFile)).raw;
    let self: TokenServer | undefined;
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const auth = req.headers.authorization;
      let user: string | undefined;
      if (auth?.startsWith('Basic ')) {
        const [u, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
        if (users[u] === undefined || users[u] !== rest.join(':')) {
          res.writeHead(401, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ details: 'incorrect username or password' }));
          return;
        }
        user = u;
      }
      const scopes = url.searchParams.getAll('scope');
      const scope = scopes.join(' ');
      self!.requests.push({ scope, service: url.searchParams.get('service'), account: url.searchParams.get('account'), ...(user ? { user } : {}) });
      const access = [];
      for (const s of scopes) {
        // "repository:<name>:<actions>"
        const m = /^repository:(.+):([a-z,*]+)$/.exec(s);
        if (m && user) access.push({ type: 'repository', name: m[1], actions: m[2].split(',') });
      }
      const now = Math.floor(Date.now() / 1000);
      const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
      const claims = { iss: TOKEN_ISSUER, sub: user ?? '', aud: url.searchParams.get('service') ?? '', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
      const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
      const token = `${signingInput}.${b64url(signature)}`;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new TokenServer(server, (server.address() as net.AddressInfo).port, certFile);
    return self;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
