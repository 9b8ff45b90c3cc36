// `docker login <registry>` (POST /auth): the engine checks the credentials against the registry's /v2/
// endpoint through the same challenge flow a pull uses (Basic or a token request with the password) and
// answers "Login Succeeded". It stores nothing: the CLI keeps the credentials and sends them with each
// pull and push (X-Registry-Auth).
import { invalidArgument } from '../../core/errors.js';
import { readBody, RegistryClient } from './registry-client.js';
import type { RegistryCredentials } from './registry-credentials.js';
import { loginDomain, registryEndpoints, type EndpointOptions } from './registry-endpoint.js';
import { registryError } from './registry-errors.js';

export interface LoginResult {
  Status: string;
  IdentityToken?: string;
}

export async function registryLogin(credentials: RegistryCredentials, options: EndpointOptions = {}): Promise<LoginResult> {
  const domain = loginDomain(credentials.serverAddress);
  if (credentials.username === undefined && credentials.identityToken === undefined) {
    throw invalidArgument(`login to ${domain}: no username given`, { suggestions: ['docker login -u <user> ' + domain] });
  }
  const endpoint = registryEndpoints(domain, { insecureRegistries: options.insecureRegistries }).at(-1)!;
  const client = new RegistryClient(endpoint, '', credentials, []);
  const res = await client.ping();
  const body = (await readBody(res.body, 64 * 1024)).toString('utf8');
  if (res.status === 200) return { Status: 'Login Succeeded' };
  if (res.status === 401 || res.status === 403) {
    throw invalidArgument(`login attempt to ${endpoint.baseUrl}/v2/ failed with status: ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'}`, {
      suggestions: ['check the username and password'],
    });
  }
  throw registryError(res.status, body, `login to ${domain}`, domain, 'login');
}
