// `docker import` (POST /images/create?fromSrc=-): a tarball of a root filesystem (what `docker export`
// writes, or any `tar -C rootfs -c .`) becomes an image of one layer, with no parent and no history but
// one line ("Imported from -", or the -m message). Its config is empty but for what --change gives, with
// the same Dockerfile instructions `docker commit --change` takes (CMD, ENV, ...): an exported container
// loses its image's CMD, so `docker run` of the import needs a command or a --change 'CMD [...]'.
// The tar is untrusted input (ADR 0010): it is decompressed (gzip, bzip2, xz as dockerd's
// DecompressStream) into a private temp file while its sha256 (the diff_id) is computed, and then
// unpacked by the image store's layer unpacker, which refuses names outside the root, links out of it
// and device files; a truncated or malformed tar is refused with its reason, nothing is stored.
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, invalidArgument } from '../../core/errors.js';
import type { EnginePaths } from '../../core/paths.js';
import { decompress, sniffCompression } from '../images/archive-compression.js';
import type { ImageRecord } from '../images/image-record.js';
import { normalizeTagged, parseReference } from '../images/reference.js';
import type { Tracer } from '../trace/tracer.js';
import { commitConfig } from './commit-container.js';
import { tarDigester, type LayerFile } from './dir-layer.js';
import { commitImage, type BuildImageStore } from './image-commit.js';

export interface ImportOptions {
  /** ?repo=: "name" or "name:tag" (the docker CLI sends the whole reference here) */
  repo?: string;
  /** ?tag= */
  tag?: string;
  /** ?message= (docker import -m); default "Imported from <source>" */
  message?: string;
  /** ?changes= (docker import --change), Dockerfile instructions */
  changes: string[];
  /** ?fromSrc=: "-" for the request body */
  source: string;
}

/** the name the imported image gets, or undefined (an untagged image); dockerd's checks and words */
export function importReference(repo: string | undefined, tag: string | undefined): string | undefined {
  if (!repo) return undefined;
  const ref = parseReference(repo);
  if (ref.digest !== undefined) throw invalidArgument('cannot import digest reference');
  return normalizeTagged(tag ? `${repo.replace(/:[^:/]*$/, '')}:${tag}` : repo);
}

/** the request body as a plain tar in `file`, with its sha256; refused when empty or not decompressible */
async function stageTar(body: Readable, file: string): Promise<LayerFile> {
  let bodyError: Error | undefined;
  body.on('error', (err) => (bodyError ??= err));
  const digester = tarDigester();
  try {
    const { compression, stream } = await sniffCompression(body);
    await pipeline(decompress(stream, compression, 'the imported tarball'), digester.stream, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalidArgument(`the imported tarball could not be read: ${(bodyError ?? (err as Error)).message}`, { cause: err });
  }
  if (digester.size() === 0) throw invalidArgument('the imported tarball is empty', { suggestions: ['pipe a tar into it: docker export web | docker import - web-flat'] });
  return { file, diffId: digester.diffId(), size: digester.size(), entries: 0 };
}

export async function importImage(
  deps: { paths: EnginePaths; images: BuildImageStore; tracer?: Tracer },
  body: Readable,
  options: ImportOptions,
): Promise<ImageRecord> {
  if (options.source !== '-') {
    body.resume();
    throw invalidArgument(`boxlabd imports from the request body only, not from a URL (${options.source})`, {
      suggestions: ['download it first, then import the file: curl -fLo rootfs.tar <url> && docker import rootfs.tar'],
    });
  }
  // what can be refused before the upload is read: the name and the changes (dockerd's order)
  let name: string | undefined;
  let config;
  try {
    name = importReference(options.repo, options.tag);
    config = commitConfig({}, undefined, options.changes);
  } catch (err) {
    body.resume();
    throw err;
  }
  await fs.mkdir(deps.paths.tmp, { recursive: true });
  const file = path.join(deps.paths.tmp, `import-${randomBytes(6).toString('hex')}.tar`);
  try {
    const layer = await stageTar(body, file);
    const image = await commitImage(deps.images, {
      config,
      layer,
      history: { comment: options.message || `Imported from ${options.source}` },
      layerLabel: 'the imported tarball',
    });
    if (name) await deps.images.tag(image.id, name);
    deps.tracer?.emit(image.id, 'image.import', { imageId: image.id, diffId: layer.diffId, size: layer.size, ref: name ?? '' });
    return image;
  } finally {
    await fs.rm(file, { force: true });
  }
}
