// An image record for tests of the pure image-store functions: an id made of one repeated character (or
// digit), no names, no layers, unless the fields given say otherwise.
import type { ImageRecord } from '../../../../src/engine/images/image-record.js';

/** "sha256:" and 64 times c (a longer c is repeated and cut) */
export function digestOf(c: string | number): string {
  return `sha256:${String(c).repeat(64).slice(0, 64)}`;
}

export function imageRecord(c: string | number, fields: Partial<ImageRecord> = {}): ImageRecord {
  return {
    id: digestOf(c),
    repoTags: [],
    repoDigests: [],
    created: '2026-11-23T10:00:00.000000000Z',
    architecture: 'amd64',
    os: 'linux',
    config: {},
    layers: [],
    history: [],
    size: 0,
    manifestDigest: digestOf('f'),
    ...fields,
  };
}
