// What an image tarball contains, read from its index files before anything is unpacked:
//   - docker-archive (docker save, skopeo docker-archive:): manifest.json = [{Config, RepoTags, Layers}]
//   - OCI image layout (skopeo oci-archive:, umoci, buildkit): oci-layout + index.json -> manifests -> blobs
// Pure parsing over a small reader, so the same code serves a staged tarball and a folder in tests.
import { invalidArgument } from '../../core/errors.js';
import { isDigest } from '../content/digest.js';
import { hostArchitecture } from './image-config.js';

export interface PlannedLayer {
  /** archive entry holding the layer blob */
  entry: string;
  /** the blob digest when the archive states it (OCI layouts, newer docker save); verified on ingest */
  digest?: string;
  mediaType?: string;
}

export interface PlannedImage {
  format: 'docker-archive' | 'oci-layout';
  configEntry: string;
  configDigest?: string;
  layers: PlannedLayer[];
  /** names as the archive gives them ("busybox:latest", "docker.io/library/busybox:latest") */
  names: string[];
  /** the original manifest (OCI layouts): kept so the manifest digest survives */
  manifestEntry?: string;
  manifestDigest?: string;
  /** docker-archive "Parent": the id of the image this one was committed on (docker save writes it) */
  parent?: string;
}

export interface ArchiveReader {
  has(entry: string): boolean;
  readJson<T>(entry: string, what?: string): Promise<T>;
}

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

interface DockerArchiveEntry {
  Config?: unknown;
  RepoTags?: unknown;
  Layers?: unknown;
  Parent?: unknown;
}

interface OciDescriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string };
}

export async function planArchive(reader: ArchiveReader, label: string): Promise<PlannedImage[]> {
  if (reader.has('manifest.json')) return planDockerArchive(await reader.readJson<unknown>('manifest.json', 'manifest.json'), label);
  if (reader.has('index.json') && reader.has('oci-layout')) return planOciLayout(reader, label);
  throw invalidArgument(`${label} is not an image archive: it has neither manifest.json (docker-archive) nor oci-layout + index.json (OCI image layout)`, {
    suggestions: ['make it with docker save, skopeo copy ... docker-archive:<file> or boxlab image bake --output'],
  });
}

/** manifest.json of a docker-archive */
export function planDockerArchive(manifest: unknown, label: string): PlannedImage[] {
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw invalidArgument(`${label}: manifest.json must be a non-empty array of {Config, RepoTags, Layers}`);
  }
  return manifest.map((raw: DockerArchiveEntry, i) => {
    const where = `${label}: manifest.json entry ${i}`;
    if (typeof raw?.Config !== 'string' || raw.Config === '') throw invalidArgument(`${where} has no Config`);
    if (!Array.isArray(raw.Layers) || raw.Layers.some((l) => typeof l !== 'string')) throw invalidArgument(`${where} has no Layers list`);
    const tags = raw.RepoTags ?? [];
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw invalidArgument(`${where} has a RepoTags that is not a list of names`);
    return {
      format: 'docker-archive' as const,
      configEntry: raw.Config,
      configDigest: blobDigestFromEntry(raw.Config),
      layers: (raw.Layers as string[]).map((entry) => ({ entry, digest: blobDigestFromEntry(entry) })),
      names: tags as string[],
      ...(typeof raw.Parent === 'string' && isDigest(raw.Parent) ? { parent: raw.Parent } : {}),
    };
  });
}

/** the OCI image layout: index.json (possibly nested indexes) -> image manifests */
export async function planOciLayout(reader: ArchiveReader, label: string): Promise<PlannedImage[]> {
  const layout = await reader.readJson<{ imageLayoutVersion?: string }>('oci-layout', 'oci-layout');
  if (typeof layout?.imageLayoutVersion !== 'string') throw invalidArgument(`${label}: oci-layout has no imageLayoutVersion`);
  const index = await reader.readJson<{ manifests?: OciDescriptor[] }>('index.json', 'index.json');
  if (!Array.isArray(index?.manifests)) throw invalidArgument(`${label}: index.json has no manifests list`);
  const images: PlannedImage[] = [];
  for (const desc of index.manifests) {
    const manifestDesc = await pickManifest(reader, desc, label, 0);
    const names = imageNames(desc.annotations);
    const image = await planOciManifest(reader, manifestDesc, label, names);
    // one image may be listed several times under different names: merge them
    const same = images.find((im) => im.manifestDigest === image.manifestDigest);
    if (same) same.names.push(...image.names.filter((n) => !same.names.includes(n)));
    else images.push(image);
  }
  if (images.length === 0) throw invalidArgument(`${label}: index.json lists no image`);
  return images;
}

/** the names an index entry gives its image; a bare tag ("latest", as umoci writes) names no repository */
export function imageNames(annotations: Record<string, string> | undefined): string[] {
  const full = annotations?.[CONTAINERD_NAME];
  if (full) return [full];
  const ref = annotations?.[REF_NAME];
  if (ref && (ref.includes(':') || ref.includes('/'))) return [ref];
  return [];
}

async function pickManifest(reader: ArchiveReader, desc: OciDescriptor, label: string, depth: number): Promise<OciDescriptor> {
  const digest = checkDescriptor(desc, label);
  if (desc.mediaType !== MEDIA_TYPES.ociIndex && desc.mediaType !== MEDIA_TYPES.dockerManifestList) return desc;
  if (depth > 4) throw invalidArgument(`${label}: image indexes nested too deeply at ${digest}`);
  const nested = await reader.readJson<{ manifests?: OciDescriptor[] }>(blobEntry(digest), `index ${digest}`);
  const list = nested?.manifests ?? [];
  const arch = hostArchitecture();
  const chosen =
    list.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === arch) ??
    list.find((m) => m.platform === undefined) ??
    list[0];
  if (!chosen) throw invalidArgument(`${label}: the image index ${digest} lists no manifest`);
  if (chosen.platform && chosen.platform.architecture !== arch) {
    throw invalidArgument(`${label}: the image index ${digest} has no linux/${arch} image`, { suggestions: ['export the image for this machine\'s platform'] });
  }
  return pickManifest(reader, chosen, label, depth + 1);
}

async function planOciManifest(reader: ArchiveReader, desc: OciDescriptor, label: string, names: string[]): Promise<PlannedImage> {
  const digest = checkDescriptor(desc, label);
  const manifest = await reader.readJson<{ config?: OciDescriptor; layers?: OciDescriptor[]; mediaType?: string }>(blobEntry(digest), `manifest ${digest}`);
  if (!manifest?.config || !Array.isArray(manifest.layers)) throw invalidArgument(`${label}: manifest ${digest} has no config or layers`);
  const configDigest = checkDescriptor(manifest.config, label);
  return {
    format: 'oci-layout',
    configEntry: blobEntry(configDigest),
    configDigest,
    layers: manifest.layers.map((l) => {
      const d = checkDescriptor(l, label);
      return { entry: blobEntry(d), digest: d, mediaType: l.mediaType };
    }),
    names: [...names],
    manifestEntry: blobEntry(digest),
    manifestDigest: digest,
  };
}

function checkDescriptor(desc: OciDescriptor, label: string): string {
  if (!desc || typeof desc.digest !== 'string' || !isDigest(desc.digest)) {
    throw invalidArgument(`${label}: a descriptor has an invalid or unsupported digest ${JSON.stringify(desc?.digest)} (expected sha256:<hex>)`);
  }
  return desc.digest;
}

export function blobEntry(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

function blobDigestFromEntry(entry: string): string | undefined {
  const m = /^(?:\.\/)?blobs\/sha256\/([a-f0-9]{64})$/.exec(entry);
  return m ? `sha256:${m[1]}` : undefined;
}
