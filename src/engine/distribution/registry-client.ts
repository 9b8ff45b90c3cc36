// RegistryClient: one repository on one registry endpoint, speaking the OCI distribution API over HTTP(S).
// Every request may come back 401 with a WWW-Authenticate challenge; the client answers it the way the
// docker engine does: Basic -> resend with the user's password; Bearer -> ask the realm (the token server)
// for a token scoped to "repository:<name>:pull[,push]", then resend with `Authorization: Bearer <token>`.
// Tokens are kept for the client's lifetime (one pull or push). Redirects (blob downloads go to a CDN on
// Docker Hub) are followed without the Authorization header, which belongs to the registry only.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { invalidArgument, unavailable } from '../../core/errors.js';
import { certificateErrorText, readRegistryTls, type RegistryTls } from './registry-certs.js';
import { RegistryUnreachable } from './registry-errors.js';
import { parseWwwAuthenticate, repositoryScope, type AuthChallenge } from './auth-challenge.js';
import type { RegistryEndpoint } from './registry-endpoint.js';
import type { RegistryCredentials } from './registry-credentials.js';

export const USER_AGENT = 'boxlab/0.1 (docker-compatible registry client)';

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** the body; call text()/buffer() or pipe it; must be consumed or destroyed */
  body: IncomingMessage;
  /** the final URL (after redirects) */
  url: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** a body factory, so a request can be sent again after an auth challenge */
  body?: () => Buffer | Readable;
  /** when a Readable body has a known length */
  contentLength?: number;
}

export type RegistryAction = 'pull' | 'push';

export async function readBody(res: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw invalidArgument(`registry answer is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(method: string, url: URL, headers: Record<string, string>, body?: Buffer | Readable, tls?: RegistryTls): Promise<IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers, timeout: 60_000, ...(url.protocol === 'https:' ? tls : {}) }, resolve);
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within 60 s`)));
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    }
  });
}

export class RegistryClient {
  private authorization?: string;
  /** challenges answered so far: a new one (e.g. a wider scope for a cross-repository mount) is answered again */
  private readonly answered = new Map<string, Promise<void>>();
  /** the registry's own CAs and client certificate from certs.d/<host:port> (read once per client: one pull, push or login) */
  private readonly tls?: RegistryTls;

  constructor(
    readonly endpoint: RegistryEndpoint,
    /** repository path on the registry, e.g. "library/busybox" */
    readonly repository: string,
    private readonly credentials: RegistryCredentials,
    private readonly actions: readonly RegistryAction[],
  ) {
    if (credentials.registryToken) this.authorization = `Bearer ${credentials.registryToken}`;
    const base = new URL(endpoint.baseUrl);
    if (base.protocol === 'https:') this.tls = readRegistryTls(base.host);
  }

  /** "/v2/<repo>/<rest>" as a URL on this endpoint */
  url(rest: string): URL {
    return new URL(`${this.endpoint.baseUrl}/v2/${this.repository}/${rest}`);
  }

  /**
   * one request, authenticated on demand; 401 answers are retried once with credentials. Network errors
   * become UNAVAILABLE naming the registry.
   */
  async request(method: string, target: string | URL, options: RequestOptions = {}): Promise<RegistryResponse> {
    const url = typeof target === 'string' ? (target.startsWith('http') ? new URL(target) : new URL(target, this.endpoint.baseUrl)) : target;
    const sentWith = this.authorization;
    let res = await this.sendFollowing(method, url, options);
    const raw = res.headers['www-authenticate'];
    const header = Array.isArray(raw) ? raw.join(', ') : raw;
    if (res.status === 401 && header) {
      // requests run in parallel (a push HEADs every layer at once): each challenge is answered once, and a
      // request that was sent before that answer is sent again with it; one already sent with it stays refused
      let answering = this.answered.get(header);
      if (!answering) {
        answering = this.answerChallenge(parseWwwAuthenticate(header));
        this.answered.set(header, answering);
      }
      await answering;
      if (this.authorization !== sentWith) {
        res.body.resume();
        res = await this.sendFollowing(method, url, options);
      }
    }
    return res;
  }

  /** GET /v2/ with credentials: what `docker login` checks */
  async ping(): Promise<RegistryResponse> {
    return this.request('GET', new URL(`${this.endpoint.baseUrl}/v2/`));
  }

  private async sendFollowing(method: string, url: URL, options: RequestOptions): Promise<RegistryResponse> {
    let current = url;
    for (let hop = 0; hop < 5; hop++) {
      const sameHost = current.host === new URL(this.endpoint.baseUrl).host;
      const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...(options.headers ?? {}) };
      if (this.authorization && sameHost) headers.Authorization = this.authorization;
      if (options.contentLength !== undefined) headers['Content-Length'] = String(options.contentLength);
      let res: IncomingMessage;
      try {
        res = await send(method, current, headers, hop === 0 ? options.body?.() : undefined, sameHost ? this.tls : undefined);
      } catch (err) {
        const untrusted = certificateErrorText(err as NodeJS.ErrnoException);
        throw new RegistryUnreachable(current.host, untrusted ?? (err as Error).message, err, untrusted ? 'certificate' : 'network');
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location && (method === 'GET' || method === 'HEAD')) {
        res.resume();
        current = new URL(location, current);
        continue;
      }
      return { status, headers: res.headers, body: res, url: current.toString() };
    }
    throw unavailable(`registry ${url.host} redirected more than 5 times for ${url.pathname}`);
  }

  private async answerChallenge(challenges: AuthChallenge[]): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    const { username, password } = this.credentials;
    if (bearer) {
      this.authorization = `Bearer ${await this.fetchToken(bearer)}`;
    } else if (basic && username !== undefined) {
      this.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    }
  }

  /** the token server round trip (distribution's token auth spec, and OAuth2 refresh tokens for identity tokens) */
  private async fetchToken(challenge: AuthChallenge): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw unavailable(`registry ${this.endpoint.baseUrl} asked for a bearer token without naming a realm`);
    // a challenge may ask for several scopes at once (space separated): each is its own scope parameter
    // and for our own repository we ask for every action we will need (pull,push) at once, as docker does,
    // so a push does not need a second token when the registry's first challenge only asks for pull
    const scopes = (challenge.params.scope ?? (this.repository ? repositoryScope(this.repository, this.actions) : ''))
      .split(' ')
      .filter(Boolean)
      .map((s) => {
        const prefix = `repository:${this.repository}:`;
        if (!this.repository || !s.startsWith(prefix)) return s;
        const actions = new Set([...this.actions, ...s.slice(prefix.length).split(',')]);
        return repositoryScope(this.repository, [...actions].sort((a, b) => (a === 'pull' ? -1 : b === 'pull' ? 1 : a.localeCompare(b))));
      });
    const url = new URL(realm);
    const service = challenge.params.service;
    const { username, password, identityToken } = this.credentials;
    let res: IncomingMessage;
    try {
      if (identityToken) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: identityToken, client_id: 'boxlab', scope: scopes.join(' '), ...(service ? { service } : {}) });
        res = await send('POST', url, { 'User-Agent': USER_AGENT, 'Content-Type': 'application/x-www-form-urlencoded' }, Buffer.from(form.toString()));
      } else {
        if (service) url.searchParams.set('service', service);
        for (const scope of scopes) url.searchParams.append('scope', scope);
        const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
        if (username !== undefined) {
          headers.Authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
          url.searchParams.set('account', username);
        }
        res = await send('GET', url, headers);
      }
    } catch (err) {
      throw unavailable(`cannot reach the token server ${url.host}: ${(err as Error).message}`, { cause: err });
    }
    const body = (await readBody(res, 1024 * 1024)).toString('utf8');
    if ((res.statusCode ?? 0) === 401 || (res.statusCode ?? 0) === 403) {
      throw invalidArgument(`the token server ${url.host} refused the credentials: unauthorized: incorrect username or password`, {
        suggestions: ['log in again: docker login'],
      });
    }
    if ((res.statusCode ?? 0) !== 200) throw unavailable(`the token server ${url.host} answered ${res.statusCode}: ${body.slice(0, 200)}`);
    let parsed: { token?: string; access_token?: string };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw unavailable(`the token server ${url.host} answered something that is not JSON`);
    }
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw unavailable(`the token server ${url.host} answered without a token`);
    return token;
  }
}
