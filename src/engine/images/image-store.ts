// The image store: names (tags, digests) -> image records, over the content store and unpacked layers.
import type { Readable, Writable } from 'node:stream';
import type { ImageRecord } from './image-record.js';

export interface LoadProgress {
  (message: { status: string; id?: string; progress?: string }): void;
}

export interface ImageStore {
  list(): Promise<ImageRecord[]>;
  /** by name[:tag], name@digest, full or short id; throws NOT_FOUND `No such image: <ref>` */
  resolve(ref: string): Promise<ImageRecord>;
  /** the unpacked layer folders of an image, lowest layer first (overlay lowerdirs are given top first) */
  layerDirs(image: ImageRecord): string[];
  tag(ref: string, newRef: string): Promise<void>;
  /**
   * removes a name, or the image when it is the last name or force; then its untagged parents nothing else
   * uses, unless noPrune (dockerd's ?noprune=1); returns Docker's Untagged/Deleted list
   */
  remove(ref: string, options: { force?: boolean; noPrune?: boolean; isInUse: (imageId: string) => boolean }): Promise<Array<{ Untagged?: string; Deleted?: string }>>;
  /** docker-archive or OCI layout tarball; returns the names loaded */
  load(tarball: Readable, progress?: LoadProgress): Promise<string[]>;
  /** docker-archive tarball of the images named */
  save(refs: string[], out: Writable): Promise<void>;
}
