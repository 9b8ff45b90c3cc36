// Credentials as the docker CLI sends them: `X-Registry-Auth` on pull/push is base64url(JSON) of an
// AuthConfig ({username, password, serveraddress} or {identitytoken}); `POST /auth` has the same JSON as
// its body. The engine never stores them: the CLI keeps them in ~/.docker/config.json and sends them on
// every call, as with dockerd. Pure decoding.
import { invalidArgument } from '../../core/errors.js';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** an OAuth refresh token a token server gave at login (Docker Hub) */
  identityToken?: string;
  /** a bearer token to use as is */
  registryToken?: string;
  serverAddress?: string;
}

interface AuthConfigJson {
  username?: unknown;
  password?: unknown;
  auth?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
  serveraddress?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** an AuthConfig object (the body of POST /auth, or a decoded X-Registry-Auth) */
export function credentialsFromAuthConfig(json: unknown): RegistryCredentials {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return {};
  const c = json as AuthConfigJson;
  let username = text(c.username);
  let password = text(c.password);
  // "auth" is base64("user:password"), as in config.json
  const auth = text(c.auth);
  if (auth && username === undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  const out: RegistryCredentials = {};
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  const identityToken = text(c.identitytoken);
  if (identityToken !== undefined) out.identityToken = identityToken;
  const registryToken = text(c.registrytoken);
  if (registryToken !== undefined) out.registryToken = registryToken;
  const serverAddress = text(c.serveraddress);
  if (serverAddress !== undefined) out.serverAddress = serverAddress;
  return out;
}

/** decodes the X-Registry-Auth header; absent or "{}"-like headers mean anonymous */
export function decodeRegistryAuth(header: string | undefined): RegistryCredentials {
  if (header === undefined || header.trim() === '') return {};
  let json: unknown;
  try {
    // base64url as the CLI encodes it; plain base64 also decodes with this alphabet-tolerant path
    json = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch (err) {
    throw invalidArgument('invalid X-Registry-Auth header: expected base64-encoded JSON', { cause: err });
  }
  return credentialsFromAuthConfig(json);
}

export function hasCredentials(c: RegistryCredentials): boolean {
  return c.username !== undefined || c.identityToken !== undefined || c.registryToken !== undefined;
}
