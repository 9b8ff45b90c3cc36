// Builds a small layer tarball in memory from a list of entries (for baked images). Entries are written
// in the order given with the times given, so the same input gives byte-identical layers, and so the same
// diff_id and image id.
import tar from 'tar-stream';

export interface LayerEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link';
  mode: number;
  data?: Buffer;
  linkname?: string;
  uid?: number;
  gid?: number;
}

export async function buildLayerTar(entries: readonly LayerEntry[], mtime: Date): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: e.name,
        type: e.type,
        mode: e.mode,
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        mtime,
        ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
      };
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.type === 'file') pack.entry({ ...header, size: e.data?.length ?? 0 }, e.data ?? Buffer.alloc(0), cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}
