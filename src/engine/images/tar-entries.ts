// Reading a tar stream entry by entry (tar-stream's extract), safely for the process. tar-stream hands
// each entry's data over as a stream, and destroys that stream with an error when the archive ends
// early ("Unexpected end of data": a header promised more bytes than came, as a 518-byte tarball whose
// header says 1 GiB does). An 'error' event nobody listens to ends a Node process, and an entry handler
// that awaits anything (opening a file, checking a parent) before it reads the data has no listener
// yet: so every entry stream gets one here, the moment it exists. The error still fails the extract, so
// the caller's pipeline rejects and the request fails with it; the engine keeps serving.
import tar from 'tar-stream';

export type TarEntryStream = tar.ExtractEvents['entry'][1];
export type TarEntryHandler = (header: tar.Header, stream: TarEntryStream) => Promise<void>;

/** a tar-stream extract calling onEntry for each entry in order; use it as the last stage of a pipeline */
export function tarEntryConsumer(onEntry: TarEntryHandler): tar.Extract {
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    stream.on('error', () => undefined); // the same error fails the extract itself
    onEntry(header, stream).then(
      () => next(),
      (err: unknown) => {
        stream.resume();
        next(err as Error);
      },
    );
  });
  return extract;
}

/** reads an entry's data to its end (tar-stream needs it consumed before the next entry) */
export async function drainEntry(stream: TarEntryStream): Promise<void> {
  for await (const _chunk of stream) {
    /* skip */
  }
}

/** an entry's data in memory (small entries only: the caller checks header.size first) */
export async function readEntry(stream: TarEntryStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
