// The content store: immutable blobs (image configs, manifests, layer tarballs) named by their digest, kept
// as an OCI image layout (oci-layout, blobs/sha256/<hex>, index.json), like containerd's content store.
// A blob shared by several images is stored once.
import type { Readable } from 'node:stream';

export interface BlobInfo {
  digest: string;
  size: number;
}

/** an OCI descriptor as listed in index.json */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
}

export interface IngestExpectation {
  /** the digest the bytes must have; the blob is refused (and nothing kept) when they do not */
  digest?: string;
  size?: number;
}

export interface ContentStore {
  /** hashes the stream while writing it to a temp file, verifies, then renames it into place */
  ingest(source: Readable | Buffer, expected?: IngestExpectation): Promise<BlobInfo>;
  has(digest: string): Promise<boolean>;
  read(digest: string): Readable;
  readBytes(digest: string): Promise<Buffer>;
  /** throws NOT_FOUND when the blob is absent */
  info(digest: string): Promise<BlobInfo>;
  /** the blob's file on disk (for tools that want a path) */
  blobPath(digest: string): string;
  delete(digest: string): Promise<void>;
  list(): Promise<BlobInfo[]>;
  /** the manifests named in index.json (the layout's roots) */
  index(): Promise<Descriptor[]>;
  /** replaces index.json's manifests (written atomically) */
  setIndex(manifests: Descriptor[]): Promise<void>;
}
