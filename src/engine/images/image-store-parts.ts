// What each operation of the image store (load, save, remove, commit, a pull's commit) works on: the
// content store's blobs, the image records, the unpacked layers, a scratch folder. LocalImageStore makes
// them once and serialises the operations that change them.
import type { ContentStore } from '../content/content-store.js';
import type { Tracer } from '../trace/tracer.js';
import type { ImageRecords } from './image-records.js';
import type { LayerStore } from './layer-store.js';

export interface ImageStoreParts {
  content: ContentStore;
  records: ImageRecords;
  layers: LayerStore;
  /** <root>/tmp: staged archives, inflated layers; emptied at every engine start */
  tmp: string;
  tracer?: Tracer;
}
