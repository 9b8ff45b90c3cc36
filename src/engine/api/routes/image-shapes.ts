// Docker's image objects (ImageSummary for `docker images`, ImageInspect, HistoryResponseItem) built from
// boxlab's ImageRecord. Pure functions: the image store has the facts, these give them Docker's shape.
import type { ImageRecord } from '../../images/image-record.js';

const unixSeconds = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
};

/** names: the image's names that passed a reference filter (GET /images/json filters per name); all by default */
export function imageSummary(image: ImageRecord, names: { repoTags: string[]; repoDigests: string[] } = image): Record<string, unknown> {
  return {
    Id: image.id,
    ParentId: image.parent ?? '',
    RepoTags: names.repoTags,
    RepoDigests: names.repoDigests,
    Created: unixSeconds(image.created),
    Size: image.size,
    VirtualSize: image.size,
    SharedSize: -1,
    Labels: image.config.Labels ?? null,
    Containers: -1,
  };
}

/**
 * layerDirs: the unpacked layer folders, lowest first. Docker shows the top layer as UpperDir and the ones
 * under it as LowerDir (top-most first, ':'-separated: the order overlayfs' lowerdir option wants).
 */
export function imageInspect(image: ImageRecord, layerDirs: string[]): Record<string, unknown> {
  const topFirst = [...layerDirs].reverse();
  const data: Record<string, string> = {};
  if (topFirst.length > 0) data.UpperDir = topFirst[0];
  if (topFirst.length > 1) data.LowerDir = topFirst.slice(1).join(':');
  return {
    Id: image.id,
    RepoTags: image.repoTags,
    RepoDigests: image.repoDigests,
    Parent: image.parent ?? '',
    Comment: image.history.at(-1)?.comment ?? '',
    Created: image.created,
    Container: '',
    ContainerConfig: emptyContainerConfig(),
    DockerVersion: '',
    Author: image.author ?? '',
    Config: { ...emptyContainerConfig(), ...image.config },
    Architecture: image.architecture,
    Os: image.os,
    Size: image.size,
    VirtualSize: image.size,
    GraphDriver: { Name: 'overlay2', Data: data },
    RootFS: { Type: 'layers', Layers: image.layers.map((l) => l.diffId) },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}

function emptyContainerConfig(): Record<string, unknown> {
  return {
    Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
    Tty: false, OpenStdin: false, StdinOnce: false, Env: null, Cmd: null, Image: '', Volumes: null,
    WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null,
  };
}

/**
 * newest first, as `docker history` prints; layers are matched to the history entries that made them.
 * ancestors: the image's parent, its parent's parent, ... as far as they are still stored (dockerd's
 * image_history.go walks the same chain): row i gets the id and tags of the i-th image of [image,
 * ...ancestors], so the rows of a classic build show the step images a student can run; the rest
 * (layers pulled or loaded, or whose image was removed) stay `<missing>`.
 */
export function imageHistory(image: ImageRecord, ancestors: readonly ImageRecord[] = []): Array<Record<string, unknown>> {
  const entries = image.history.length > 0 ? image.history : image.layers.map(() => ({}) as ImageRecord['history'][number]);
  let layerIndex = 0;
  const rows = entries.map((entry) => {
    const size = entry.empty_layer ? 0 : (image.layers[layerIndex++]?.size ?? 0);
    return {
      Id: '<missing>',
      Created: entry.created ? unixSeconds(entry.created) : 0,
      CreatedBy: entry.created_by ?? '',
      Tags: null as string[] | null,
      Size: size,
      Comment: entry.comment ?? '',
    };
  });
  rows.reverse();
  [image, ...ancestors].slice(0, rows.length).forEach((known, i) => {
    rows[i].Id = known.id;
    rows[i].Tags = known.repoTags.length > 0 ? known.repoTags : null;
  });
  return rows;
}
