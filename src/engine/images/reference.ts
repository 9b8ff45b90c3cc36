// Image references in Docker's grammar (distribution/reference): [domain[:port]/]path[:tag][@digest].
// Docker normalises the short names people type: "busybox" means docker.io/library/busybox:latest, and shows
// them back in the "familiar" form (RepoTags "busybox:latest"). Pure functions, no I/O.
import { invalidArgument } from '../../core/errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const NAME_MAX = 255;

export interface ImageReference {
  /** registry host, e.g. "docker.io", "localhost:5000" */
  domain: string;
  /** repository path, e.g. "library/busybox", "me/x" */
  path: string;
  tag?: string;
  digest?: string;
}

const bad = (ref: string, why: string) =>
  invalidArgument(`invalid reference format: ${why} ("${ref}")`, {
    suggestions: ['use name[:tag] or name@sha256:<digest>, e.g. busybox:latest'],
  });

/** parses and normalises a reference as the docker CLI does (ParseNormalizedNamed) */
export function parseReference(ref: string): ImageReference {
  if (/^[a-f0-9]{64}$/.test(ref)) {
    throw invalidArgument(`invalid repository name (${ref}), cannot specify 64-byte hexadecimal strings`);
  }
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(ref, 'invalid digest');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(ref, 'invalid tag');
  }
  if (rest === '') throw bad(ref, 'empty name');
  if (rest.length > NAME_MAX) throw bad(ref, `repository name must not be longer than ${NAME_MAX} characters`);

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // the first component is a registry only when it looks like a host: has a dot or a port, or is localhost
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (!DOMAIN.test(domain)) throw bad(ref, `invalid registry "${domain}"`);
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  if (path !== path.toLowerCase()) throw bad(ref, 'repository name must be lowercase');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) throw bad(ref, `invalid path component "${component}"`);
  }
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** adds the default tag when a reference has neither tag nor digest (Docker's TagNameOnly) */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** the short repository name Docker shows: "busybox", "me/x", "localhost:5000/me/x" */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return `${ref.domain}/${ref.path}`;
  return ref.path.startsWith(OFFICIAL_PREFIX) && ref.path.split('/').length === 2 ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
}

/** "busybox:latest", "busybox@sha256:..." as in RepoTags / RepoDigests */
export function familiarString(ref: ImageReference): string {
  return familiarName(ref) + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** "docker.io/library/busybox:latest", as containerd's image names */
export function fullString(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}` + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** the familiar "name:tag" for a reference the user typed: `busybox` -> `busybox:latest` */
export function normalizeTagged(ref: string): string {
  return familiarString(withDefaultTag(parseReference(ref)));
}

/** true for what Docker treats as an image id or id prefix: "sha256:<hex>" or bare lowercase hex */
export function looksLikeId(ref: string): boolean {
  return /^(sha256:)?[a-f0-9]{1,64}$/.test(ref);
}
