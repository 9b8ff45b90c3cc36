// The manifest media types a registry may answer with (OCI distribution spec + Docker's image manifest v2
// schema 2). The client asks for all of them in one Accept header, as docker does, and the registry picks;
// a manifest list / OCI index then leads to one platform's manifest.
export const MANIFEST_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

export const CONFIG_TYPES = {
  docker: 'application/vnd.docker.container.image.v1+json',
  oci: 'application/vnd.oci.image.config.v1+json',
} as const;

export const LAYER_TYPES = {
  dockerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeign: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociTar: 'application/vnd.oci.image.layer.v1.tar',
  ociGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

/** the Accept header of a manifest GET/HEAD: every type we can follow, images and indexes */
export const MANIFEST_ACCEPT = [
  MANIFEST_TYPES.dockerManifest,
  MANIFEST_TYPES.dockerList,
  MANIFEST_TYPES.ociManifest,
  MANIFEST_TYPES.ociIndex,
].join(', ');

export function isIndexType(mediaType: string): boolean {
  return mediaType === MANIFEST_TYPES.dockerList || mediaType === MANIFEST_TYPES.ociIndex;
}

export function isImageManifestType(mediaType: string): boolean {
  return mediaType === MANIFEST_TYPES.dockerManifest || mediaType === MANIFEST_TYPES.ociManifest;
}
