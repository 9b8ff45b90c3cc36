// Trusting a registry's certificate per registry, as dockerd does: /etc/docker/certs.d/<host:port>/ holds
// `*.crt` files (CA certificates added to the system's roots for that registry only) and `*.cert` + `*.key`
// pairs (a client certificate the engine shows the registry). The folder is read at each pull, push and
// login, so a new CA takes effect without restarting the engine (dockerd's ReadCertsDirectory). boxlabd
// reads the same folder as dockerd, so the notes' commands work as written; BOXLAB_CERTS_D moves it (tests).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { invalidArgument } from '../../core/errors.js';

export const DEFAULT_CERTS_DIR = '/etc/docker/certs.d';

/** the TLS material for one registry: Node's https options */
export interface RegistryTls {
  /** the system's roots plus the registry's own CAs (Node's `ca` replaces the roots, so both are listed) */
  ca?: string[];
  cert?: string;
  key?: string;
}

export interface CertFiles {
  /** CA certificates: `*.crt` */
  cas: string[];
  /** client certificate pairs: `x.cert` with `x.key` */
  pairs: Array<{ cert: string; key: string }>;
}

export function certsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOXLAB_CERTS_D || DEFAULT_CERTS_DIR;
}

/** which files of a certs.d/<host> folder are CAs and which client pairs; a `.cert` without its `.key` (or the reverse) is an error, as in dockerd. Pure. */
export function classifyCertFiles(names: readonly string[], dir: string): CertFiles {
  const sorted = [...names].sort();
  const cas = sorted.filter((n) => n.endsWith('.crt'));
  const pairs: CertFiles['pairs'] = [];
  for (const cert of sorted.filter((n) => n.endsWith('.cert'))) {
    const key = `${cert.slice(0, -'.cert'.length)}.key`;
    if (!names.includes(key)) throw invalidArgument(`missing key ${key} for client certificate ${cert} in ${dir}`, { suggestions: [`put the certificate's private key next to it as ${path.join(dir, key)}, or remove ${cert}`] });
    pairs.push({ cert, key });
  }
  for (const key of sorted.filter((n) => n.endsWith('.key'))) {
    const cert = `${key.slice(0, -'.key'.length)}.cert`;
    if (!names.includes(cert)) throw invalidArgument(`missing client certificate ${cert} for key ${key} in ${dir}`, { suggestions: [`put the client certificate next to it as ${path.join(dir, cert)}, or remove ${key}`] });
  }
  return { cas, pairs };
}

/**
 * the TLS options for a registry "host:port" from `<dir>/<host:port>/`, or undefined when the folder does
 * not exist (then the system's roots alone decide, as for any HTTPS server)
 */
export function readRegistryTls(host: string, dir = certsDir()): RegistryTls | undefined {
  if (!host || host.includes('/') || host === '.' || host === '..') return undefined;
  const folder = path.join(dir, host);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  const files = classifyCertFiles(names, folder);
  const tls: RegistryTls = {};
  if (files.cas.length > 0) tls.ca = [...rootCertificates, ...files.cas.map((n) => readFileSync(path.join(folder, n), 'utf8'))];
  // dockerd uses the first pair it finds; so does boxlab
  const pair = files.pairs[0];
  if (pair) {
    tls.cert = readFileSync(path.join(folder, pair.cert), 'utf8');
    tls.key = readFileSync(path.join(folder, pair.key), 'utf8');
  }
  return tls;
}

/** Node's codes for a server certificate the client cannot trust */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/**
 * a TLS failure in dockerd's words (Go's x509 messages, which the notes and search engines know), with
 * Node's own words after it; undefined for any other error. Pure.
 */
export function certificateErrorText(err: { code?: string; message?: string }): string | undefined {
  const code = err.code ?? '';
  if (UNTRUSTED.has(code)) return `x509: certificate signed by unknown authority (${err.message})`;
  if (code === 'CERT_HAS_EXPIRED') return `x509: certificate has expired or is not yet valid (${err.message})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `x509: certificate is not valid for this name (${err.message})`;
  return undefined;
}
