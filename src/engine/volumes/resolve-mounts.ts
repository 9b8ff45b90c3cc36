// Everything `docker run` can mount, resolved in one pure function: -v/--volume (HostConfig.Binds),
// --mount (HostConfig.Mounts), --tmpfs (HostConfig.Tmpfs), the image's VOLUME folders (anonymous
// volumes) and --volumes-from. The result is (a) the OCI mounts for the spec, (b) Docker's MountPoint
// list for `docker inspect`, and (c) what the container service must do first: create named and
// anonymous volumes, create missing -v host folders, and copy image content up into new volumes.
// Precedence, as in moby's registerMountPoints: --volumes-from, then -v and --mount (which replace
// volumes-from at the same destination, and conflict with each other), then image volumes where
// nothing else is mounted.
import path from 'node:path';
import { invalidArgument, notFound } from '../../core/errors.js';
import type { MountPoint, MountSpec } from '../docker-model.js';
import type { OciMount } from '../oci-runtime-spec.js';
import { validateVolumeName } from './volume-name.js';

export interface ResolveMountsInput {
  binds?: string[] | null;
  mounts?: MountSpec[] | null;
  tmpfs?: Record<string, string> | null;
  /** the image's Config.Volumes */
  imageVolumes?: Record<string, object> | null;
  /** HostConfig.VolumesFrom: "other" or "other:ro" / "other:rw" */
  volumesFrom?: string[] | null;
  /** MountPoints of the containers named in volumesFrom, by the reference as written */
  otherContainers?: Record<string, MountPoint[]>;
  /** the anonymous volumes of those containers: shared through --volumes-from they stay anonymous, so the
   *  last container removed with `rm -v` takes them along (dockerd copies the mount's empty Spec.Source) */
  otherAnonymous?: Record<string, string[]>;
  /** EnginePaths.volumes: volumes/<name>/_data is a volume's data */
  volumesDir: string;
  /** does a host path exist? (for --mount's missing-source error; -v creates the folder instead) */
  exists: (hostPath: string) => boolean;
  /** name for an anonymous volume; default a 64-hex id from the caller */
  newVolumeName: () => string;
}

export interface ResolvedMounts {
  oci: OciMount[];
  mountPoints: MountPoint[];
  /** named and anonymous volumes to create (creating an existing one is a no-op) */
  volumesToCreate: string[];
  /** the anonymous ones among them, removed with the container by `docker rm -v` */
  anonymousVolumes: string[];
  /** -v host folders that do not exist yet: Docker creates them */
  bindSourcesToCreate: string[];
  /** volumes to fill from the image at their destination if empty (copyUpFromRootfs) */
  copyUp: Array<{ volume: string; destination: string }>;
}

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];
const DEFAULT_PROPAGATION = 'rprivate';
/** Docker's --tmpfs defaults: no devices, no setuid, no executables */
const TMPFS_DEFAULTS = ['noexec', 'nosuid', 'nodev'];

interface Entry {
  oci: OciMount;
  point?: MountPoint;
  volume?: { name: string; anonymous: boolean; copy: boolean };
}

const clean = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

function bindOptions(readOnly: boolean, propagation: string): string[] {
  return ['rbind', propagation, ...(readOnly ? ['ro'] : [])];
}

function requireAbsoluteTarget(type: string, target: string): void {
  if (!target.startsWith('/')) {
    throw invalidArgument(`invalid mount config for type "${type}": invalid mount path: '${target}' mount path must be absolute`);
  }
}

/** "-v src:dst:ro,z" -> parts; sources and destinations on Linux cannot contain ':' */
function parseBind(spec: string, input: ResolveMountsInput, bindSources: string[]): Entry {
  const parts = spec.split(':');
  if (parts.length === 0 || parts.length > 3 || parts.some((p) => p === '')) throw invalidArgument(`invalid volume specification: '${spec}'`);
  if (parts.length === 1) {
    // "-v /data": an anonymous volume
    requireAbsoluteTarget('volume', parts[0]);
    const name = input.newVolumeName();
    return volumeEntry(input, name, parts[0], false, true, 'z', true);
  }
  const [source, destination, modeText = ''] = parts;
  requireAbsoluteTarget(source.startsWith('/') ? 'bind' : 'volume', destination);
  const modes = modeText === '' ? [] : modeText.split(',');
  let readOnly = false;
  let propagation: string | undefined;
  let nocopy = false;
  for (const m of modes) {
    if (m === 'ro') readOnly = true;
    else if (m === 'rw') readOnly = false;
    else if (m === 'z' || m === 'Z') continue; // SELinux relabelling: nothing to do without SELinux
    else if (PROPAGATIONS.includes(m)) propagation = m;
    else if (m === 'nocopy') nocopy = true;
    else throw invalidArgument(`invalid mode: ${modeText}`);
  }
  if (source.startsWith('/')) {
    if (nocopy) throw invalidArgument(`invalid mode: ${modeText}`);
    const src = clean(source);
    if (!input.exists(src)) bindSources.push(src);
    const prop = propagation ?? DEFAULT_PROPAGATION;
    return {
      oci: { destination: clean(destination), type: 'bind', source: src, options: bindOptions(readOnly, prop) },
      point: { Type: 'bind', Source: src, Destination: clean(destination), Mode: modeText, RW: !readOnly, Propagation: prop },
    };
  }
  if (propagation) throw invalidArgument(`invalid mode: ${modeText}`);
  validateVolumeName(source);
  return volumeEntry(input, source, destination, readOnly, false, modeText || 'z', !nocopy);
}

function volumeEntry(input: ResolveMountsInput, name: string, destination: string, readOnly: boolean, anonymous: boolean, mode: string, copy: boolean): Entry {
  const source = path.join(input.volumesDir, name, '_data');
  const dest = clean(destination);
  return {
    oci: { destination: dest, type: 'bind', source, options: bindOptions(readOnly, DEFAULT_PROPAGATION) },
    point: { Type: 'volume', Name: name, Source: source, Destination: dest, Driver: 'local', Mode: mode, RW: !readOnly, Propagation: '' },
    volume: { name, anonymous, copy },
  };
}

function parseMountSpec(m: MountSpec, input: ResolveMountsInput): Entry {
  const readOnly = m.ReadOnly === true;
  requireAbsoluteTarget(m.Type, m.Target ?? '');
  const dest = clean(m.Target);
  switch (m.Type) {
    case 'bind': {
      const src = m.Source ?? '';
      if (src === '') throw invalidArgument('invalid mount config for type "bind": field Source must not be empty');
      if (!src.startsWith('/')) throw invalidArgument(`invalid mount config for type "bind": invalid mount path: '${src}' mount path must be absolute`);
      if (!input.exists(src)) throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${src}`);
      const prop = m.BindOptions?.Propagation || DEFAULT_PROPAGATION;
      if (!PROPAGATIONS.includes(prop)) throw invalidArgument(`invalid propagation mode: ${prop}`);
      const options = [m.BindOptions?.NonRecursive ? 'bind' : 'rbind', prop, ...(readOnly ? ['ro'] : [])];
      return {
        oci: { destination: dest, type: 'bind', source: clean(src), options },
        point: { Type: 'bind', Source: clean(src), Destination: dest, Mode: '', RW: !readOnly, Propagation: prop },
      };
    }
    case 'volume': {
      const anonymous = !m.Source;
      const name = m.Source || input.newVolumeName();
      if (!anonymous) validateVolumeName(name);
      return volumeEntry(input, name, dest, readOnly, anonymous, '', m.VolumeOptions?.NoCopy !== true);
    }
    case 'tmpfs': {
      if (m.Source) throw invalidArgument('invalid mount config for type "tmpfs": field Source must not be specified');
      const options = [...TMPFS_DEFAULTS, ...(readOnly ? ['ro'] : [])];
      if (m.TmpfsOptions?.SizeBytes) options.push(`size=${m.TmpfsOptions.SizeBytes}`);
      if (m.TmpfsOptions?.Mode !== undefined) options.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
      return {
        oci: { destination: dest, type: 'tmpfs', source: 'tmpfs', options },
        point: { Type: 'tmpfs', Source: '', Destination: dest, Mode: '', RW: !readOnly, Propagation: '' },
      };
    }
    default:
      throw invalidArgument(`mount type "${m.Type}" is not supported: use bind, volume or tmpfs`);
  }
}

/** --tmpfs /run:rw,size=64m -> a tmpfs with Docker's defaults plus the given options */
function tmpfsEntry(destination: string, optionText: string): Entry {
  requireAbsoluteTarget('tmpfs', destination);
  const given = optionText.split(',').map((o) => o.trim()).filter((o) => o !== '');
  // a given option replaces the default it contradicts (exec over noexec, suid over nosuid, ...)
  const defaults = TMPFS_DEFAULTS.filter((d) => !given.includes(d.slice(2)));
  return { oci: { destination: clean(destination), type: 'tmpfs', source: 'tmpfs', options: [...defaults, ...given] } };
}

function parseVolumesFrom(spec: string, input: ResolveMountsInput): Entry[] {
  const [ref, mode = ''] = spec.split(':', 2);
  if (mode !== '' && mode !== 'ro' && mode !== 'rw') throw invalidArgument(`invalid mode for volumes-from: ${mode}`);
  const points = input.otherContainers?.[ref];
  if (!points) throw notFound(`No such container: ${ref}`);
  const anonymous = new Set(input.otherAnonymous?.[ref] ?? []);
  return points.map((p) => {
    const rw = mode === '' ? p.RW : mode === 'rw';
    const options = p.Type === 'tmpfs' ? [...TMPFS_DEFAULTS, ...(rw ? [] : ['ro'])] : bindOptions(!rw, p.Propagation || DEFAULT_PROPAGATION);
    const oci: OciMount = p.Type === 'tmpfs'
      ? { destination: p.Destination, type: 'tmpfs', source: 'tmpfs', options }
      : { destination: p.Destination, type: 'bind', source: p.Source, options };
    return {
      oci,
      // dockerd keeps the source's Mode: `:ro` shows only in RW
      point: { ...p, RW: rw },
      // a shared volume already has its content: no copy-up; an anonymous one stays anonymous
      volume: p.Type === 'volume' && p.Name ? { name: p.Name, anonymous: anonymous.has(p.Name), copy: false } : undefined,
    };
  });
}

export function resolveMounts(input: ResolveMountsInput): ResolvedMounts {
  const byDest = new Map<string, Entry>();
  const bindSources: string[] = [];

  for (const spec of input.volumesFrom ?? []) {
    for (const e of parseVolumesFrom(spec, input)) byDest.set(e.oci.destination, e);
  }
  const explicit = new Set<string>();
  const add = (e: Entry) => {
    if (explicit.has(e.oci.destination)) throw invalidArgument(`Duplicate mount point: ${e.oci.destination}`);
    explicit.add(e.oci.destination);
    byDest.set(e.oci.destination, e);
  };
  for (const spec of input.binds ?? []) add(parseBind(spec, input, bindSources));
  for (const m of input.mounts ?? []) add(parseMountSpec(m, input));
  for (const [dest, options] of Object.entries(input.tmpfs ?? {})) add(tmpfsEntry(dest, options));
  for (const dest of Object.keys(input.imageVolumes ?? {})) {
    // e.g. `-v v:/d` on a client that takes "v:" for a Windows drive sends Volumes {"v:/d": {}}
    if (!dest.startsWith('/')) throw invalidArgument(`invalid volume specification: '${dest}': invalid mount config for type "volume": invalid mount path: '${dest}' mount path must be absolute`);
    const d = clean(dest);
    if (byDest.has(d)) continue;
    byDest.set(d, volumeEntry(input, input.newVolumeName(), d, false, true, '', true));
  }

  const entries = [...byDest.values()];
  const volumes = entries.flatMap((e) => (e.volume ? [e.volume] : []));
  return {
    oci: entries.map((e) => e.oci),
    mountPoints: entries.flatMap((e) => (e.point ? [e.point] : [])),
    volumesToCreate: [...new Set(volumes.map((v) => v.name))],
    anonymousVolumes: volumes.filter((v) => v.anonymous).map((v) => v.name),
    bindSourcesToCreate: [...new Set(bindSources)],
    copyUp: entries.flatMap((e) => (e.volume?.copy ? [{ volume: e.volume.name, destination: e.oci.destination }] : [])),
  };
}
