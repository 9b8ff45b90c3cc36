// `docker push`: for each layer, HEAD /v2/<name>/blobs/<digest> (already there: "Layer already exists");
// else a cross-repository mount (POST /blobs/uploads/?mount=<digest>&from=<other repo>: the registry links
// the blob it already has, no bytes sent: "Mounted from ..."); else an upload session (POST, then PUT
// <location>?digest=<digest> with the bytes: monolithic, or PATCH chunks then PUT when chunkSize is set).
// The config blob goes the same way, and the manifest last (PUT /manifests/<tag>), because a registry
// refuses a manifest whose blobs it does not have. The manifest pushed is the one stored at pull/load,
// byte for byte, so its digest is the image's digest everywhere.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { invalidArgument } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import type { ContentStore } from '../content/content-store.js';
import type { ImageRecord } from '../images/image-record.js';
import { familiarName, familiarString, parseReference, type ImageReference } from '../images/reference.js';
import type { Tracer } from '../trace/tracer.js';
import { MANIFEST_TYPES } from './media-types.js';
import { progressMessage, statusMessage, type ProgressSink } from './progress-message.js';
import { readBody, RegistryClient, type RegistryResponse } from './registry-client.js';
import type { RegistryCredentials } from './registry-credentials.js';
import { registryEndpoints, type EndpointOptions } from './registry-endpoint.js';
import { registryError } from './registry-errors.js';

export interface PushSource {
  resolve(ref: string): Promise<ImageRecord>;
  addRepoDigest(imageId: string, repoDigest: string): Promise<void>;
}

export interface PushServiceOptions extends EndpointOptions {
  images: PushSource;
  content: ContentStore;
  tracer?: Tracer;
  concurrency?: number;
  /** bytes per PATCH; 0 or absent: one monolithic PUT per blob */
  chunkSize?: number;
}

export interface PushResult {
  tag: string;
  digest: string;
  size: number;
}

export class PushService {
  constructor(private readonly options: PushServiceOptions) {}

  /** pushes name:tag (the image must be tagged with the registry's name: docker tag x localhost:5000/me/x:1) */
  async push(reference: string, credentials: RegistryCredentials, progress: ProgressSink): Promise<PushResult> {
    const ref = parseReference(reference);
    if (ref.digest !== undefined) throw invalidArgument(`cannot push a digest reference: ${reference}`, { suggestions: ['push a tag: docker push name:tag'] });
    const tagged: ImageReference = { ...ref, tag: ref.tag ?? 'latest' };
    const image = await this.options.images.resolve(familiarString(tagged));
    const repo = familiarName(tagged);
    const endpoint = registryEndpoints(tagged.domain, { insecureRegistries: this.options.insecureRegistries }).at(-1)!;
    const client = new RegistryClient(endpoint, tagged.path, credentials, ['pull', 'push']);
    const { content, tracer } = this.options;
    progress(statusMessage(`The push refers to repository [${tagged.domain === 'docker.io' ? 'docker.io/' + tagged.path : repo}]`));

    const manifestBytes = await content.readBytes(image.manifestDigest);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { mediaType?: string; config: { digest: string; size: number }; layers: Array<{ digest: string; size: number }> };
    // other repositories on the same registry that hold this image: candidates for a cross-repo mount
    const mountFrom = [...image.repoTags, ...image.repoDigests]
      .map((n) => parseReference(n))
      .filter((r) => r.domain === tagged.domain && r.path !== tagged.path)
      .map((r) => r.path);

    const layers = [...manifest.layers].reverse(); // docker lists the top layer first
    for (const l of layers) progress(statusMessage('Preparing', shortId(l.digest)));
    let next = 0;
    const worker = async () => {
      while (next < layers.length) {
        const l = layers[next++];
        const outcome = await this.pushBlob(client, l, mountFrom, repo, (current) => progress(progressMessage('Pushing', shortId(l.digest), current, l.size)));
        progress(statusMessage(outcome === 'exists' ? 'Layer already exists' : outcome === 'uploaded' ? 'Pushed' : `Mounted from ${outcome.from}`, shortId(l.digest)));
        tracer?.emit(image.id, 'push.blob', { digest: l.digest, size: l.size, outcome: typeof outcome === 'string' ? outcome : 'mounted', repository: repo });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 3, layers.length) }, worker));
    await this.pushBlob(client, manifest.config, mountFrom, repo, () => undefined);

    const mediaType = manifest.mediaType ?? MANIFEST_TYPES.ociManifest;
    const res = await client.request('PUT', client.url(`manifests/${tagged.tag}`), { headers: { 'Content-Type': mediaType }, body: () => manifestBytes });
    const body = (await readBody(res.body, 64 * 1024)).toString('utf8');
    if (res.status !== 201 && res.status !== 200) throw registryError(res.status, body, `manifest ${repo}:${tagged.tag}`, repo, 'push');
    const digest = `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`;
    await this.options.images.addRepoDigest(image.id, `${repo}@${digest}`);
    tracer?.emit(image.id, 'push.manifest', { ref: familiarString(tagged), digest, size: manifestBytes.length });
    progress(statusMessage(`${tagged.tag}: digest: ${digest} size: ${manifestBytes.length}`));
    progress({ progressDetail: {}, aux: { Tag: tagged.tag, Digest: digest, Size: manifestBytes.length } });
    return { tag: tagged.tag!, digest, size: manifestBytes.length };
  }

  private async pushBlob(
    client: RegistryClient,
    blob: { digest: string; size: number },
    mountFrom: string[],
    repo: string,
    onProgress: (current: number) => void,
  ): Promise<'exists' | 'uploaded' | { from: string }> {
    const head = await client.request('HEAD', client.url(`blobs/${blob.digest}`));
    head.body.resume();
    if (head.status === 200) return 'exists';
    if (head.status !== 404) throw registryError(head.status, '', `blob ${blob.digest}`, repo, 'push');
    let session: RegistryResponse | undefined;
    for (const from of mountFrom) {
      const res = await client.request('POST', client.url(`blobs/uploads/?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(from)}`), { contentLength: 0, body: () => Buffer.alloc(0) });
      res.body.resume();
      if (res.status === 201) return { from };
      if (res.status === 401 || res.status === 403) continue; // no read access to the source repository: upload instead
      if (res.status === 202) {
        session = res; // the registry could not mount and opened an upload instead
        break;
      }
    }
    if (!session) {
      session = await client.request('POST', client.url('blobs/uploads/'), { contentLength: 0, body: () => Buffer.alloc(0) });
      const text = (await readBody(session.body, 64 * 1024)).toString('utf8');
      if (session.status !== 202) throw registryError(session.status, text, `upload of blob ${blob.digest}`, repo, 'push');
    }
    let location = this.location(client, session);
    const file = this.options.content.blobPath(blob.digest);
    const chunk = this.options.chunkSize ?? 0;
    let sent = 0;
    if (chunk > 0) {
      // chunked upload: PATCH ranges in order, each answer gives the next location
      while (sent < blob.size) {
        const end = Math.min(blob.size, sent + chunk);
        const start = sent;
        const res = await client.request('PATCH', location, {
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${start}-${end - 1}` },
          contentLength: end - start,
          body: () => createReadStream(file, { start, end: end - 1 }),
        });
        const text = (await readBody(res.body, 64 * 1024)).toString('utf8');
        if (res.status !== 202) throw registryError(res.status, text, `chunk ${start}-${end - 1} of blob ${blob.digest}`, repo, 'push');
        location = this.location(client, res);
        sent = end;
        onProgress(sent);
      }
      const url = new URL(location);
      url.searchParams.set('digest', blob.digest);
      const res = await client.request('PUT', url, { contentLength: 0, body: () => Buffer.alloc(0) });
      const text = (await readBody(res.body, 64 * 1024)).toString('utf8');
      if (res.status !== 201) throw registryError(res.status, text, `blob ${blob.digest}`, repo, 'push');
      return 'uploaded';
    }
    const url = new URL(location);
    url.searchParams.set('digest', blob.digest);
    const { size } = await fs.stat(file);
    const res = await client.request('PUT', url, {
      headers: { 'Content-Type': 'application/octet-stream' },
      contentLength: size,
      body: () => {
        const stream = createReadStream(file);
        let n = 0;
        let last = 0;
        stream.on('data', (c) => {
          n += c.length;
          if (Date.now() - last > 100 || n === size) {
            last = Date.now();
            onProgress(n);
          }
        });
        return stream;
      },
    });
    const text = (await readBody(res.body, 64 * 1024)).toString('utf8');
    if (res.status !== 201) throw registryError(res.status, text, `blob ${blob.digest}`, repo, 'push');
    return 'uploaded';
  }

  private location(client: RegistryClient, res: RegistryResponse): string {
    const loc = res.headers.location;
    if (!loc) throw registryError(res.status, 'no Location header in the upload answer', 'upload session', client.repository, 'push');
    return new URL(loc, client.endpoint.baseUrl).toString();
  }
}
