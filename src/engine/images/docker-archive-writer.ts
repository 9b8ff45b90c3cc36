// Writes a docker-archive tarball, the format of `docker save` that `docker load` and
// `skopeo copy docker-archive:` read:
//   <config-hex>.json          the image config (its sha256 is the image id, so ids survive a round trip)
//   <diff-id-hex>/layer.tar    each layer, uncompressed, once even when several images share it
//   manifest.json              [{Config, RepoTags, Layers, Parent?}] (Parent: the image it was committed on)
//   repositories               {"busybox": {"latest": "<top layer folder>"}} for old readers
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import tar from 'tar-stream';
import { digestHex, sha256Digest } from '../content/digest.js';
import { parseReference, familiarName, withDefaultTag } from './reference.js';

export interface ArchiveLayer {
  diffId: string;
  /** bytes of the uncompressed tar */
  size: number;
  open(): Readable | Promise<Readable>;
}

export interface ArchiveImage {
  config: Buffer;
  /** familiar names, e.g. "busybox:latest" */
  repoTags: string[];
  layers: ArchiveLayer[];
  /** id of the parent image (build steps, docker commit); written as the manifest's "Parent" as dockerd does */
  parent?: string;
}

export interface DockerArchiveIndex {
  manifest: Array<{ Config: string; RepoTags: string[] | null; Layers: string[]; Parent?: string }>;
  repositories: Record<string, Record<string, string>>;
}

/** the index files of a docker-archive (pure) */
export function dockerArchiveIndex(images: ReadonlyArray<Pick<ArchiveImage, 'config' | 'repoTags' | 'parent'> & { layers: ReadonlyArray<{ diffId: string }> }>): DockerArchiveIndex {
  const repositories: Record<string, Record<string, string>> = {};
  const manifest = images.map((image) => {
    const layers = image.layers.map((l) => `${digestHex(l.diffId)}/layer.tar`);
    const top = image.layers.length > 0 ? digestHex(image.layers[image.layers.length - 1].diffId) : undefined;
    for (const tag of image.repoTags) {
      const ref = withDefaultTag(parseReference(tag));
      if (top !== undefined && ref.tag !== undefined) (repositories[familiarName(ref)] ??= {})[ref.tag] = top;
    }
    return {
      Config: `${digestHex(sha256Digest(image.config))}.json`,
      RepoTags: image.repoTags.length > 0 ? image.repoTags : null,
      Layers: layers,
      ...(image.parent ? { Parent: image.parent } : {}),
    };
  });
  return { manifest, repositories };
}

// fixed entry times: the archive of the same images is byte-identical each time
const EPOCH = new Date(0);

export async function writeDockerArchive(images: ArchiveImage[], out: Writable): Promise<void> {
  const pack = tar.pack();
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('close', resolve);
    out.on('error', reject);
    pack.on('error', reject);
  });
  pack.pipe(out as unknown as NodeJS.WritableStream);
  const index = dockerArchiveIndex(images);
  const written = new Set<string>();
  const add = (name: string, data: Buffer) =>
    new Promise<void>((resolve, reject) => pack.entry({ name, mode: 0o644, mtime: EPOCH, size: data.length }, data, (err) => (err ? reject(err) : resolve())));
  try {
    for (const image of images) {
      for (const layer of image.layers) {
        const dir = digestHex(layer.diffId);
        if (written.has(dir)) continue;
        written.add(dir);
        await new Promise<void>((resolve, reject) =>
          pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, mtime: EPOCH }, (err) => (err ? reject(err) : resolve())),
        );
        await add(`${dir}/VERSION`, Buffer.from('1.0'));
        await streamEntry(pack, `${dir}/layer.tar`, layer.size, await layer.open());
      }
      const configName = `${digestHex(sha256Digest(image.config))}.json`;
      if (!written.has(configName)) {
        written.add(configName);
        await add(configName, image.config);
      }
    }
    await add('manifest.json', Buffer.from(JSON.stringify(index.manifest)));
    await add('repositories', Buffer.from(JSON.stringify(index.repositories)));
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    throw err;
  }
  await finished;
}

async function streamEntry(pack: tar.Pack, name: string, size: number, source: Readable): Promise<void> {
  let done!: Promise<void>;
  const sink = (() => {
    let s!: ReturnType<tar.Pack['entry']>;
    done = new Promise<void>((resolve, reject) => {
      s = pack.entry({ name, size, mode: 0o644, mtime: EPOCH }, (err) => (err ? reject(err) : resolve()));
    });
    return s;
  })();
  // the entry is written while the layer is read: if the archive is torn down meanwhile (the client of
  // `docker save` went away), its error must fail this loop, not be an event nobody hears
  sink.on('error', () => undefined);
  done.catch(() => undefined);
  let written = 0;
  for await (const chunk of source) {
    written += (chunk as Buffer).length;
    if (!sink.write(chunk as Buffer)) await Promise.race([once(sink as unknown as NodeJS.EventEmitter, 'drain'), done]);
  }
  if (written !== size) {
    const err = new Error(`archive entry ${name}: expected ${size} bytes, the layer gave ${written}`);
    sink.destroy(err);
    throw err;
  }
  (sink as unknown as { end(): void }).end();
  await done;
}
