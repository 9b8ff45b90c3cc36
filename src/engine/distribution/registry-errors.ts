// Registry error answers turned into AppErrors whose messages say what happened and what to do. The
// distribution spec's error body is {"errors":[{"code":"MANIFEST_UNKNOWN","message":"..."}]}; 401/403 mean
// credentials, 404 an unknown name or tag, 429 Docker Hub's rate limit. Pure.
import { AppError, invalidArgument, notFound, unavailable } from '../../core/errors.js';
import { certsDir } from './registry-certs.js';

export interface RegistryErrorBody {
  errors?: Array<{ code?: string; message?: string; detail?: unknown }>;
}

/** "MANIFEST_UNKNOWN: manifest unknown" from the body, or the raw text, shortened */
export function registryErrorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as RegistryErrorBody;
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return parsed.errors.map((e) => `${(e.code ?? 'error').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`.trim()).join('; ');
    }
  } catch {
    // not JSON: fall through
  }
  const t = body.trim().replace(/\s+/g, ' ');
  return t.length > 200 ? `${t.slice(0, 200)}...` : t;
}

/**
 * the AppError for a failed registry call; `what` names the object ("manifest for busybox:latest",
 * "blob sha256:..."), `repo` is the familiar repository name for the hints
 */
export function registryError(status: number, body: string, what: string, repo: string, action: 'pull' | 'push' | 'login'): AppError {
  const detail = registryErrorText(body);
  const suffix = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) {
    if (action === 'pull') {
      return notFound(`pull access denied for ${repo}, repository does not exist or may require 'docker login'${suffix || ': denied: requested access to the resource is denied'}`, {
        suggestions: [`check the name, or log in first: docker login ${repo.includes('/') && repo.split('/')[0].includes('.') ? repo.split('/')[0] : ''}`.trim()],
      });
    }
    return invalidArgument(`${action === 'push' ? 'push' : 'login'} to ${repo} was refused (${status})${suffix || ': unauthorized'}`, {
      suggestions: ['log in with an account that may write to this repository: docker login <registry>'],
    });
  }
  if (status === 404) return notFound(`${what} not found${suffix}`, { suggestions: ['check the repository name and tag (docker pull <name>:<tag>)'] });
  if (status === 429) {
    return unavailable(`the registry refused ${what}: too many requests (429)${suffix}`, {
      suggestions: ['wait and try again, log in to raise the limit, or use the local mirror: boxlab mirror start'],
    });
  }
  return unavailable(`registry answered ${status} for ${what}${suffix}`, { suggestions: ['try again; check the registry is healthy'] });
}

/** a registry that could not be reached at all (no DNS answer, refused, timed out): the host and the network's words */
export class RegistryUnreachable extends AppError {
  constructor(
    readonly host: string,
    readonly reason: string,
    cause: unknown,
    /** a certificate the engine does not trust, or anything else on the way */
    kind: 'network' | 'certificate' = 'network',
  ) {
    super('UNAVAILABLE', `cannot reach registry ${host}: ${reason}`, {
      cause,
      suggestions:
        kind === 'certificate'
          ? [`trust the registry's CA for this registry only: copy it to ${certsDir()}/${host}/ca.crt (read at each pull, no restart)`]
          : ['check the network, or use the local mirror when offline: boxlab mirror start'],
    });
  }
}
