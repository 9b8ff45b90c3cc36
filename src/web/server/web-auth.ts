// Who may use the web page: boxlab serve gives a shell as root in the sandbox, so every request (the page,
// the API, the WebSocket) must carry the random token printed on start-up (`?token=`, then the cookie the
// page sets), and a browser request must come from the page's own origin (Origin header), so another
// site open in the same browser cannot drive the terminal (cross-site WebSocket hijacking). Pure.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'boxlab_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export interface RequestFacts {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type AuthResult =
  | { ok: true; via: 'query' | 'cookie' }
  | { ok: false; status: 401 | 403; reason: string };

export interface AuthPolicy {
  token: string;
  /** origins a browser may send, e.g. http://127.0.0.1:8080 */
  origins: readonly string[];
  /** bound to every interface: a page reached by any address may use its own origin (Origin = Host) */
  anyHost?: boolean;
}

/** the page's origin on host:port, an IPv6 address in brackets */
export function pageOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** the origins a page served on host:port is reached by */
export function allowedOrigins(host: string, port: number): string[] {
  const hosts = new Set([host, '127.0.0.1', 'localhost']);
  if (host === '0.0.0.0' || host === '::') hosts.delete(host);
  return [...hosts].map((h) => pageOrigin(h, port));
}

export function parseCookies(header: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of Array.isArray(header) ? header : header ? [header] : []) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const name = part.slice(0, eq).trim();
      try {
        out[name] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        out[name] = part.slice(eq + 1).trim();
      }
    }
  }
  return out;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function checkRequest(req: RequestFacts, policy: AuthPolicy): AuthResult {
  const origin = first(req.headers.origin);
  // a browser always sends Origin on WebSocket upgrades and cross-origin fetches; tools send none
  const own = policy.anyHost && origin === `http://${first(req.headers.host) ?? ''}`;
  if (origin !== undefined && !own && !policy.origins.includes(origin)) {
    return { ok: false, status: 403, reason: `origin ${origin} may not use this boxlab page` };
  }
  const query = new URL(req.url, 'http://x').searchParams.get('token');
  if (query !== null) {
    return sameToken(query, policy.token) ? { ok: true, via: 'query' } : { ok: false, status: 403, reason: 'wrong token' };
  }
  const cookie = parseCookies(req.headers.cookie)[TOKEN_COOKIE];
  if (cookie !== undefined) {
    return sameToken(cookie, policy.token) ? { ok: true, via: 'cookie' } : { ok: false, status: 403, reason: 'wrong token' };
  }
  return { ok: false, status: 401, reason: 'this page needs the token that boxlab serve printed: open the URL with ?token=...' };
}

/** the cookie that lets the page's own requests through once it was opened with the token */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
