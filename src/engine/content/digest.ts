// Content addressing: a blob is named by the sha256 of its bytes ("sha256:<64 hex>"), as in the OCI image
// spec's descriptors. These helpers parse and compute such digests.
import { createHash } from 'node:crypto';
import { invalidArgument } from '../../core/errors.js';

export const DIGEST_PATTERN = /^sha256:([a-f0-9]{64})$/;

/** the hex part of a sha256 digest; throws INVALID_ARGUMENT for anything else (other algorithms included) */
export function digestHex(digest: string): string {
  const m = DIGEST_PATTERN.exec(digest);
  if (!m) {
    throw invalidArgument(`invalid digest "${digest}": expected sha256:<64 lowercase hex characters>`);
  }
  return m[1];
}

export function isDigest(value: string): boolean {
  return DIGEST_PATTERN.test(value);
}

export function sha256Digest(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
