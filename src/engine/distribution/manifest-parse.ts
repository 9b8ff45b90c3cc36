// Parsing what a registry returns for /v2/<name>/manifests/<ref>: an image manifest (config + layers) or an
// index (manifests per platform). The media type comes from the Content-Type header or the document's
// own mediaType field (OCI allows it to be absent). Pure; errors name the reference.
import { invalidArgument } from '../../core/errors.js';
import { isDigest } from '../content/digest.js';
import { isImageManifestType, isIndexType, MANIFEST_TYPES } from './media-types.js';

export interface BlobDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
}

export interface IndexEntry extends BlobDescriptor {
  platform?: { os: string; architecture: string; variant?: string };
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: IndexEntry[] }
  | { kind: 'image'; mediaType: string; config: BlobDescriptor; layers: BlobDescriptor[] };

const bad = (what: string, why: string) =>
  invalidArgument(`registry answered an invalid manifest for ${what}: ${why}`, { suggestions: ['the registry may be broken or not an OCI registry: try another one'] });

function descriptor(value: unknown, what: string, field: string): BlobDescriptor {
  const d = value as Partial<BlobDescriptor> | null;
  if (!d || typeof d !== 'object') throw bad(what, `${field} is not an object`);
  if (typeof d.digest !== 'string' || !isDigest(d.digest)) throw bad(what, `${field}.digest "${String(d.digest)}" is not a sha256 digest`);
  if (typeof d.size !== 'number' || !Number.isInteger(d.size) || d.size < 0) throw bad(what, `${field}.size is not a byte count`);
  if (typeof d.mediaType !== 'string') throw bad(what, `${field}.mediaType is missing`);
  return { mediaType: d.mediaType, digest: d.digest, size: d.size, ...(Array.isArray(d.urls) ? { urls: d.urls as string[] } : {}) };
}

/** the manifest's kind; `contentType` is the response's Content-Type (may be generic or absent) */
export function parseManifest(bytes: Buffer, contentType: string | undefined, what: string): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw bad(what, 'not JSON');
  }
  if (!doc || typeof doc !== 'object') throw bad(what, 'not a JSON object');
  if (doc.schemaVersion === 1) {
    throw invalidArgument(`${what} is a Docker image manifest schema 1, which boxlab (like Docker 25+) does not pull`, {
      suggestions: ['push the image again with a current docker or skopeo to get a schema 2 / OCI manifest'],
    });
  }
  const header = contentType?.split(';')[0].trim();
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  let mediaType = declared ?? (header && (isIndexType(header) || isImageManifestType(header)) ? header : undefined);
  if (!mediaType) mediaType = Array.isArray(doc.manifests) ? MANIFEST_TYPES.ociIndex : MANIFEST_TYPES.ociManifest;
  if (isIndexType(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw bad(what, 'an index without "manifests"');
    const manifests = doc.manifests.map((m, i) => {
      const d = descriptor(m, what, `manifests[${i}]`);
      const p = (m as { platform?: IndexEntry['platform'] }).platform;
      return { ...d, ...(p && typeof p.os === 'string' && typeof p.architecture === 'string' ? { platform: { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) } } : {}) };
    });
    return { kind: 'index', mediaType, manifests };
  }
  if (!isImageManifestType(mediaType)) throw bad(what, `unsupported media type "${mediaType}"`);
  if (!Array.isArray(doc.layers)) throw bad(what, 'no "layers"');
  return {
    kind: 'image',
    mediaType,
    config: descriptor(doc.config, what, 'config'),
    layers: doc.layers.map((l, i) => descriptor(l, what, `layers[${i}]`)),
  };
}
