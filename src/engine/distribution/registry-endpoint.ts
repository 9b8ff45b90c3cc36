// Where a reference's registry answers: docker.io is registry-1.docker.io (behind the configured mirrors,
// tried first, as dockerd's `registry-mirrors`); localhost and 127.0.0.0/8 speak plain HTTP (Docker's
// built-in insecure registries); other hosts HTTPS unless listed as insecure. Pure.
import { DEFAULT_DOMAIN } from '../images/reference.js';
import { ipToInt, isIpv4 } from '../network/ipv4.js';

export const DOCKER_HUB_REGISTRY = 'https://registry-1.docker.io';

export interface RegistryEndpoint {
  /** "http://127.0.0.1:5000", no trailing slash */
  baseUrl: string;
  /** a mirror of docker.io, not the registry itself (a failure falls through to the next endpoint) */
  mirror: boolean;
}

export interface EndpointOptions {
  /** docker.io mirrors, e.g. ["http://127.0.0.1:5000"] */
  mirrors?: readonly string[];
  /** hosts ("myreg:5000") that speak plain HTTP, or CIDRs ("10.0.0.0/8") their IP address is in */
  insecureRegistries?: readonly string[];
}

export function isLoopbackHost(domain: string): boolean {
  const host = domain.replace(/:\d+$/, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}

/**
 * Is a registry listed as insecure: by its name ("myreg:5000"), or an IPv4 address inside a listed CIDR, as
 * dockerd's insecure-registries (dockerd also resolves names to addresses for the CIDRs; boxlab does not).
 */
export function isInsecure(domain: string, insecure: readonly string[]): boolean {
  if (insecure.includes(domain)) return true;
  const ip = domain.replace(/:\d+$/, '');
  if (!isIpv4(ip)) return false;
  return insecure.some((entry) => {
    const m = /^([\d.]+)\/(\d{1,2})$/.exec(entry);
    if (!m || !isIpv4(m[1])) return false;
    const size = 2 ** (32 - Number(m[2]));
    return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(m[1]) / size);
  });
}

/** the endpoints to try, in order, for a registry domain ("docker.io", "localhost:5000") */
export function registryEndpoints(domain: string, options: EndpointOptions = {}): RegistryEndpoint[] {
  if (domain === DEFAULT_DOMAIN) {
    return [
      ...(options.mirrors ?? []).map((m) => ({ baseUrl: m.replace(/\/+$/, ''), mirror: true })),
      { baseUrl: DOCKER_HUB_REGISTRY, mirror: false },
    ];
  }
  const plain = isLoopbackHost(domain) || isInsecure(domain, options.insecureRegistries ?? []);
  return [{ baseUrl: `${plain ? 'http' : 'https'}://${domain}`, mirror: false }];
}

/** the registry domain `docker login <server>` means: "" and Docker Hub's index URL are docker.io */
export function loginDomain(serverAddress: string | undefined): string {
  if (!serverAddress) return DEFAULT_DOMAIN;
  const host = serverAddress.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'docker.io') return DEFAULT_DOMAIN;
  return host;
}
