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

/**
 * one blob being written chunk by chunk (a download): hashed once as it is written, to a temp file that
 * commit() verifies against the expectation and renames into place, or abort() removes
 */
export interface BlobWriter {
  write(chunk: Buffer): Promise<void>;
  /** bytes written so far */
  readonly size: number;
  /** the sha256 digest of everything written (call once, when all bytes are in; commit uses it too) */
  digest(): string;
  commit(): Promise<BlobInfo>;
  abort(): Promise<void>;
}

export interface ContentStore {
  /** hashes the stream while writing it to a temp file, verifies, then renames it into place */
  ingest(source: Readable | Buffer, expected?: IngestExpectation): Promise<BlobInfo>;
  /** the same as ingest, fed by the caller one chunk at a time */
  writer(expected?: IngestExpectation): Promise<BlobWriter>;
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
