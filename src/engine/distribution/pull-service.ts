// `docker pull`: reference -> registry endpoint(s) -> manifest (or index -> this platform's manifest) ->
// config blob -> layer blobs, at most three at a time, each verified against its digest -> unpacked layers
// (layer i as soon as layers 0..i are in, while the later ones download, as dockerd does) -> an image
// record with its tag and repo digest. It runs in two phases so the API can answer like
// dockerd: resolve() finds the manifest (an unknown name or tag is an HTTP 404 before any output), run()
// downloads while writing the JSON progress stream. Blobs already in the content store are not fetched
// again, so images that share a base layer store it once.
import { createHash } from 'node:crypto';
import { invalidArgument, isAppError, notFound, type AppError } from '../../core/errors.js';
import { shortId } from '../../core/ids.js';
import type { ContentStore } from '../content/content-store.js';
import { chainIds } from '../images/chain-id.js';
import { parseImageConfig } from '../images/image-config.js';
import type { ImageRecord } from '../images/image-record.js';
import type { PulledImage, PulledLayer, PullCommitProgress } from '../images/local-image-store.js';
import { familiarName, familiarString, parseReference, withDefaultTag, type ImageReference } from '../images/reference.js';
import type { Tracer } from '../trace/tracer.js';
import { fetchBlob, fetchSmallBlob } from './blob-fetch.js';
import { parseManifest, type BlobDescriptor } from './manifest-parse.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { offlinePullMessage } from './offline-pull.js';
import { hostPlatform, platformString, selectPlatform, type Platform } from './platform-select.js';
import { progressMessage, statusMessage, type ProgressSink } from './progress-message.js';
import { readBody, RegistryClient } from './registry-client.js';
import type { RegistryCredentials } from './registry-credentials.js';
import { registryEndpoints, type EndpointOptions } from './registry-endpoint.js';
import { registryError, RegistryUnreachable } from './registry-errors.js';

/** what the pull needs from the image store */
export interface PullTarget {
  list(): Promise<ImageRecord[]>;
  hasLayer(chainId: string, diffId: string): Promise<boolean>;
  /** unpacks layer i while later layers download (created: this call unpacked it) */
  unpackPulledLayer(imageId: string, layer: PulledLayer): Promise<{ created: boolean }>;
  /** a pull failed before its commit: the layers it unpacked early go, unless an image uses them */
  discardPulledLayers(chainIds: string[]): Promise<void>;
  commitPulled(image: PulledImage, progress?: PullCommitProgress): Promise<ImageRecord>;
}

export interface PullServiceOptions extends EndpointOptions {
  images: PullTarget;
  content: ContentStore;
  tmpDir: string;
  tracer?: Tracer;
  platform?: Platform;
  /** parallel layer downloads (dockerd's max-concurrent-downloads, default 3) */
  concurrency?: number;
  /** ms between two "Downloading" messages of one layer */
  progressInterval?: number;
}

export interface PullOptions {
  credentials?: RegistryCredentials;
}

/** a manifest found, ready to download */
export interface ResolvedPull {
  ref: ImageReference;
  /** digest of what the reference names (an index or a manifest) */
  digest: string;
  manifestDigest: string;
  config: BlobDescriptor;
  layers: BlobDescriptor[];
  platform?: string;
  endpoint: string;
  run(progress: ProgressSink): Promise<ImageRecord>;
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** runs fn over items with at most n at a time; the first failure rejects (others are left to finish) */
async function eachLimited<T>(items: T[], n: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

/** a promise settled from outside, once; a rejection nobody awaits yet is not an unhandled one */
function signal(): { promise: Promise<void>; resolve(): void; reject(err: unknown): void } {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class PullService {
  constructor(private readonly options: PullServiceOptions) {}

  /** finds the manifest for a reference; NOT_FOUND (404) for unknown names/tags, before any output */
  async resolve(reference: string, pullOptions: PullOptions = {}): Promise<ResolvedPull> {
    const ref = withDefaultTag(parseReference(reference));
    const repo = familiarName(ref);
    const endpoints = registryEndpoints(ref.domain, this.options);
    let lastError: AppError | undefined;
    for (const endpoint of endpoints) {
      // credentials go to the registry they were given for, not to a mirror
      const client = new RegistryClient(endpoint, ref.path, endpoint.mirror ? {} : (pullOptions.credentials ?? {}), ['pull']);
      try {
        return await this.resolveOn(client, ref, repo);
      } catch (err) {
        if (!isAppError(err)) throw err;
        lastError = err;
        if (!endpoint.mirror) break;
        // a mirror that lacks the image or is down: go on to the next endpoint, as dockerd does
      }
    }
    if (lastError instanceof RegistryUnreachable) {
      // offline: Docker's first words, then what happened here and the local image nearest to the name
      const localNames = (await this.options.images.list().catch(() => [])).flatMap((i) => i.repoTags);
      const { message, suggestions } = offlinePullMessage({ repo, wanted: familiarString(ref), registry: lastError.host, reason: lastError.reason, localNames });
      throw notFound(message, { cause: lastError, suggestions });
    }
    throw lastError!;
  }

  private async fetchManifest(client: RegistryClient, reference: string, what: string, repo: string) {
    const res = await client.request('GET', client.url(`manifests/${reference}`), { headers: { Accept: MANIFEST_ACCEPT } });
    const bytes = await readBody(res.body, 4 * 1024 * 1024);
    if (res.status !== 200) throw registryError(res.status, bytes.toString('utf8'), what, repo, 'pull');
    const digest = sha256(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw invalidArgument(`digest mismatch for ${what}: asked for ${reference}, the registry sent a manifest that hashes to ${digest}; nothing was stored`);
    }
    const ct = res.headers['content-type'];
    return { bytes, digest, manifest: parseManifest(bytes, ct, what) };
  }

  private async resolveOn(client: RegistryClient, ref: ImageReference, repo: string): Promise<ResolvedPull> {
    const reference = ref.digest ?? ref.tag!;
    const what = `manifest for ${familiarString(ref)}`;
    const top = await this.fetchManifest(client, reference, what, repo);
    let image = top;
    let platform: string | undefined;
    const wanted = this.options.platform ?? hostPlatform();
    if (top.manifest.kind === 'index') {
      const entry = selectPlatform(top.manifest.manifests, wanted, familiarString(ref));
      platform = platformString(entry.platform ?? wanted);
      image = await this.fetchManifest(client, entry.digest, `manifest ${entry.digest} (${platform}) of ${familiarString(ref)}`, repo);
    }
    if (image.manifest.kind !== 'image') throw notFound(`${what}: an index inside an index is not supported`);
    const manifest = image.manifest;
    const resolved: ResolvedPull = {
      ref,
      digest: top.digest,
      manifestDigest: image.digest,
      config: manifest.config,
      layers: manifest.layers,
      ...(platform ? { platform } : {}),
      endpoint: client.endpoint.baseUrl,
      run: (progress) => this.download(client, resolved, image.bytes, progress),
    };
    return resolved;
  }

  private async download(client: RegistryClient, pull: ResolvedPull, manifestBytes: Buffer, progress: ProgressSink): Promise<ImageRecord> {
    const { content, tracer } = this.options;
    const repo = familiarName(pull.ref);
    const tagged = pull.ref.digest === undefined ? familiarString(pull.ref) : undefined;
    const traceId = pull.config.digest;
    tracer?.emit(traceId, 'pull.manifest', { ref: familiarString(pull.ref), digest: pull.digest, endpoint: pull.endpoint, layers: pull.layers.length, platform: pull.platform ?? '' });
    // dockerd names the repository path on the registry here ("library/busybox", "me/x")
    progress(statusMessage(`Pulling from ${pull.ref.path}`, pull.ref.digest ?? pull.ref.tag));

    // the config first: it names the layers' diff ids, so layers unpacked already are known before downloading
    const configBytes = (await content.has(pull.config.digest))
      ? await content.readBytes(pull.config.digest)
      : await fetchSmallBlob(client, pull.config, repo);
    const config = parseImageConfig(configBytes, `config ${pull.config.digest} of ${familiarString(pull.ref)}`);
    const before = (await this.options.images.list()).find((r) => r.id === pull.config.digest);
    const upToDate = before !== undefined && (tagged === undefined || before.repoTags.includes(tagged));
    const chains = config.rootfs.diff_ids.length === pull.layers.length ? chainIds(config.rootfs.diff_ids) : [];
    const ids = pull.layers.map((l) => shortId(l.digest));
    const present: boolean[] = [];
    for (let i = 0; i < pull.layers.length; i++) {
      present.push(chains[i] !== undefined && (await this.options.images.hasLayer(chains[i], config.rootfs.diff_ids[i])) && (await content.has(pull.layers[i].digest)));
    }
    for (let i = 0; i < pull.layers.length; i++) progress(statusMessage(present[i] ? 'Already exists' : 'Pulling fs layer', ids[i]));

    const interval = this.options.progressInterval ?? 100;
    // one settled-once signal per layer: its blob is in the content store (a present layer is in already)
    const downloaded = pull.layers.map(() => signal());
    present.forEach((p, i) => p && downloaded[i].resolve());
    const downloads = eachLimited(pull.layers.map((l, i) => ({ l, i })).filter(({ i }) => !present[i]), this.options.concurrency ?? 3, async ({ l, i }) => {
      try {
        await this.downloadLayer(client, l, repo, ids[i], traceId, interval, progress);
        downloaded[i].resolve();
      } catch (err) {
        downloaded[i].reject(err);
        throw err;
      }
    });
    // the unpacker follows the downloads, lowest layer first: layer i once layers 0..i are in
    const reported = new Set<number>();
    const unpackedEarly: string[] = [];
    const unpacks = (async () => {
      if (chains.length !== pull.layers.length) return; // the commit refuses such an image, naming the counts
      for (let i = 0; i < pull.layers.length; i++) {
        await downloaded[i].promise;
        if (present[i]) continue;
        progress(progressMessage('Extracting', ids[i], 0, pull.layers[i].size));
        const layer = { chainId: chains[i], diffId: config.rootfs.diff_ids[i], digest: pull.layers[i].digest, label: `layer ${i + 1} of ${pull.layers.length} (${pull.layers[i].digest})` };
        const { created } = await this.options.images.unpackPulledLayer(pull.config.digest, layer);
        if (created) unpackedEarly.push(layer.chainId);
        progress(statusMessage('Pull complete', ids[i]));
        reported.add(i);
      }
    })();
    try {
      const [d, u] = await Promise.allSettled([downloads, unpacks]);
      if (d.status === 'rejected') throw d.reason;
      if (u.status === 'rejected') throw u.reason;

      if (!(await content.has(pull.config.digest))) await content.ingest(configBytes, { digest: pull.config.digest });
      if (!(await content.has(pull.manifestDigest))) await content.ingest(manifestBytes, { digest: pull.manifestDigest });
      const record = await this.options.images.commitPulled(
        {
          configDigest: pull.config.digest,
          manifestDigest: pull.manifestDigest,
          layers: pull.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size })),
          ...(tagged ? { tag: tagged } : {}),
          repoDigest: `${repo}@${pull.digest}`,
        },
        (i, state) => {
          // layers unpacked above were reported then; the commit unpacks again only what went meanwhile
          if (state === 'extracting') progress(progressMessage('Extracting', ids[i], 0, pull.layers[i].size));
          if (state === 'complete' || (state === 'exists' && !present[i] && !reported.has(i))) progress(statusMessage('Pull complete', ids[i]));
        },
      );
      progress(statusMessage(`Digest: ${pull.digest}`));
      const shown = tagged ?? `${repo}@${pull.digest}`;
      progress(statusMessage(upToDate ? `Status: Image is up to date for ${shown}` : `Status: Downloaded newer image for ${shown}`));
      return record;
    } catch (err) {
      if (unpackedEarly.length > 0) await this.options.images.discardPulledLayers(unpackedEarly).catch(() => undefined);
      throw err;
    }
  }

  /** one layer blob into the content store, with its progress messages */
  private async downloadLayer(client: RegistryClient, l: BlobDescriptor, repo: string, id: string, traceId: string, interval: number, progress: ProgressSink): Promise<void> {
    const { content, tracer } = this.options;
    if (await content.has(l.digest)) {
      progress(statusMessage('Download complete', id));
      tracer?.emit(traceId, 'pull.layer', { digest: l.digest, size: l.size, reused: true });
      return;
    }
    let last = 0;
    await fetchBlob({
      client,
      descriptor: l,
      content,
      tmpDir: this.options.tmpDir,
      repo,
      onProgress: (current, total) => {
        const now = Date.now();
        if (now - last < interval && current < total) return;
        last = now;
        progress(progressMessage('Downloading', id, current, total));
      },
      onVerifying: () => progress(statusMessage('Verifying Checksum', id)),
    });
    progress(statusMessage('Download complete', id));
    tracer?.emit(traceId, 'pull.layer', { digest: l.digest, size: l.size, reused: false });
  }
}
