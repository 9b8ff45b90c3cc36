// Pure checks on a tar entry before it is unpacked, beyond its name's place (tar-entry-path.ts):
//   - its type: tar has more types than a filesystem image may hold (GNU volume labels, sparse and
//     multi-volume parts, or any byte a hostile writer puts there). tar-stream reports those as type
//     null, and writing them as regular files would make up content; Docker refuses them with
//     "unhandled tar header type".
//   - its length: Linux refuses a path longer than PATH_MAX (4096 bytes with its NUL) and a name longer
//     than NAME_MAX (255 bytes) with ENAMETOOLONG; checked first, so the error names the entry rather
//     than a path inside the engine's root.

export const HANDLED_ENTRY_TYPES = ['file', 'contiguous-file', 'directory', 'symlink', 'link', 'fifo', 'character-device', 'block-device'] as const;
export type HandledEntryType = (typeof HANDLED_ENTRY_TYPES)[number];

export const PATH_MAX = 4096;
export const NAME_MAX = 255;

export function isHandledEntryType(type: unknown): type is HandledEntryType {
  return (HANDLED_ENTRY_TYPES as readonly unknown[]).includes(type);
}

/** Docker's words for an entry of a type no image may hold, naming the entry */
export function unhandledTypeReason(type: unknown): string {
  const what = typeof type === 'string' ? ` (${type})` : '';
  return `has an unhandled tar header type${what}: an image holds files, directories, links, fifos and devices only`;
}

/** a long name cut for messages: its first 40 characters and "..." */
export function shortEntryName(name: string): string {
  return name.length > 60 ? `${name.slice(0, 40)}...` : name;
}

/**
 * why the root-relative path rel cannot be created under a folder whose own path is rootBytes long, or
 * undefined when it can
 */
export function entryLengthProblem(rel: string, rootBytes: number): string | undefined {
  for (const part of rel.split('/')) {
    const bytes = Buffer.byteLength(part);
    if (bytes > NAME_MAX) return `has a name of ${bytes} bytes, more than Linux allows (NAME_MAX, ${NAME_MAX} bytes)`;
  }
  const bytes = Buffer.byteLength(rel);
  // the kernel counts the whole host path and its NUL: the layer folder's path takes its share
  if (rootBytes + 1 + bytes + 1 > PATH_MAX) {
    return `is ${bytes} bytes long, more than Linux allows in a path (PATH_MAX, ${PATH_MAX} bytes, with the layer folder's own path)`;
  }
  return undefined;
}
