// API version negotiation, as the Docker daemon does it: every path may start with /v1.xx/; a client that
// asks for a newer version than ours gets 400 and negotiates down (the docker CLI pings first and reads
// the API-Version header), one older than the minimum gets 400 too. No prefix means "the current version".
import { invalidArgument } from '../../core/errors.js';

export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.12';

const VERSION_PREFIX = /^\/v(\d+\.\d+)(\/.*)$/;

/** "1.9" < "1.12": compares dotted versions numerically */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface VersionedPath {
  version: string;
  path: string;
}

/** splits "/v1.41/containers/json" into version and path; throws INVALID_ARGUMENT for unsupported versions */
export function splitVersion(rawPath: string): VersionedPath {
  const m = VERSION_PREFIX.exec(rawPath);
  if (!m) return { version: API_VERSION, path: rawPath };
  const version = m[1];
  if (compareVersions(version, API_VERSION) > 0) {
    throw invalidArgument(`client version ${version} is too new. Maximum supported API version is ${API_VERSION}`);
  }
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    throw invalidArgument(
      `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
  return { version, path: m[2] };
}
