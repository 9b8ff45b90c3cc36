// OverlaySnapshotter: a container's root filesystem as an overlayfs of the image's unpacked layers
// (read-only lower dirs, handed over by the image store, which owns them: snapshotter.ts) and a
// per-container writable upper dir, like containerd's overlay snapshotter and Docker's overlay2.
// prepare() only creates folders and returns the mount descriptor; Mounter mounts.
//
// On disk, per key (the container id), under <snapshots>/containers/<key>/:
//   upper/   the container's writes (and whiteouts for what it deleted)
//   work/    overlayfs's scratch folder, must be on the same filesystem as upper/
//   merged/  where the overlay is mounted: the container's rootfs
//   empty/   an empty lower dir, only for an image with no layers (overlayfs needs a lower dir)
//   snapshot.json   the lower dirs, so get() can describe the snapshot again after a restart
// and once for all containers, <snapshots>/init/: the init layer (init-layer.ts), the top-most lower dir of
// every container's snapshot. Its content does not depend on the image, so one read-only copy is shared,
// like an image layer; Docker writes one per container (`<id>-init`) because its layers form a chain.
// When the full layer paths would not fit in one page of mount data, lower dirs are given through short
// symlinks in <snapshots>/l/ (Docker's overlay2 does the same), e.g. /var/lib/boxlab/snapshots/l/Ab3x9QzT0c.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomic-file.js';
import { failedPrecondition, invalidArgument } from '../../core/errors.js';
import type { Tracer } from '../trace/tracer.js';
import { ensureInitLayer, INIT_ENTRIES } from './init-layer.js';
import { parseMountinfo } from './mountinfo.js';
import { fitsMountData, overlayMountOptions, shortLinkName } from './overlay-options.js';
import type { MountDescriptor, PrepareOptions, Snapshot, Snapshotter } from './snapshotter.js';

const KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

interface SnapshotFile {
  key: string;
  /** the layer folders as given, lowest first */
  layerDirs: string[];
  /** the init layer above them, if the snapshot has one */
  initLayer?: string;
  /** what the mount uses, top-most first (the layer folders, or their short links) */
  lowerdirs: string[];
}

export interface OverlaySnapshotterOptions {
  /** is this path a mount point? default: reads /proc/self/mountinfo */
  isMounted?: (target: string) => Promise<boolean>;
}

async function mountedFromProc(target: string): Promise<boolean> {
  const text = await fs.readFile('/proc/self/mountinfo', 'utf8');
  return parseMountinfo(text).some((m) => m.mountPoint === path.resolve(target));
}

export class OverlaySnapshotter implements Snapshotter {
  private readonly containersDir: string;
  private readonly linksDir: string;
  private readonly isMounted: (target: string) => Promise<boolean>;
  private readonly initDir: string;
  /** the init layer is written once per engine root; concurrent creates wait for the same write */
  private initReady?: Promise<boolean>;
  private initTold = false;

  /** root: the engine's snapshots folder (EnginePaths.snapshots) */
  constructor(
    root: string,
    private readonly tracer: Tracer,
    options: OverlaySnapshotterOptions = {},
  ) {
    this.containersDir = path.join(root, 'containers');
    this.linksDir = path.join(root, 'l');
    this.initDir = path.join(root, 'init');
    this.isMounted = options.isMounted ?? mountedFromProc;
  }

  private dir(key: string): string {
    if (!KEY_PATTERN.test(key)) throw invalidArgument(`invalid snapshot key "${key}": use letters, digits, _ . -`);
    return path.join(this.containersDir, key);
  }

  private describe(file: SnapshotFile): Snapshot {
    const dir = this.dir(file.key);
    const upperdir = path.join(dir, 'upper');
    const workdir = path.join(dir, 'work');
    const rootfs = path.join(dir, 'merged');
    const mount: MountDescriptor = {
      type: 'overlay',
      source: 'overlay',
      target: rootfs,
      options: overlayMountOptions({ lowerdirs: file.lowerdirs, upperdir, workdir }),
    };
    return { key: file.key, lowerdirs: [...file.lowerdirs], upperdir, workdir, rootfs, mounts: [mount] };
  }

  /** the shared init layer's folder, written on first use */
  private async initLayer(key: string): Promise<string> {
    this.initReady ??= ensureInitLayer(this.initDir).catch((err: unknown) => {
      this.initReady = undefined; // a failed write (a full disk) is tried again by the next create
      throw err;
    });
    // only the first container's trace says "wrote": the others share what it wrote
    const written = (await this.initReady) && !this.initTold;
    this.initTold = true;
    this.tracer.emit(key, 'snapshot.init-layer', { dir: this.initDir, written, paths: INIT_ENTRIES.map((e) => e.path) });
    return this.initDir;
  }

  async prepare(key: string, layerDirs: readonly string[], options: PrepareOptions = {}): Promise<Snapshot> {
    const dir = this.dir(key);
    if (await readJsonIfExists<SnapshotFile>(path.join(dir, 'snapshot.json'))) {
      throw failedPrecondition(`snapshot "${key}" already exists`, { suggestions: ['remove it first, or use get() to reuse it'] });
    }
    for (const sub of ['upper', 'work', 'merged']) await fs.mkdir(path.join(dir, sub), { recursive: true, mode: 0o755 });
    const initLayer = options.initLayer ? await this.initLayer(key) : undefined;
    let lowerdirs = [...layerDirs].reverse();
    if (lowerdirs.length === 0 && !initLayer) {
      await fs.mkdir(path.join(dir, 'empty'), { recursive: true });
      lowerdirs = [path.join(dir, 'empty')];
    }
    // above the image, below the container's writes: a folder here hides the image's symlink at the same path
    if (initLayer) lowerdirs.unshift(initLayer);
    const full = overlayMountOptions({ lowerdirs, upperdir: path.join(dir, 'upper'), workdir: path.join(dir, 'work') });
    if (!fitsMountData(full)) lowerdirs = await this.shortLinks(lowerdirs);
    const file: SnapshotFile = { key, layerDirs: [...layerDirs], ...(initLayer ? { initLayer } : {}), lowerdirs };
    const snapshot = this.describe(file);
    if (!fitsMountData(snapshot.mounts[0].options)) {
      throw invalidArgument(`image has too many layers (${layerDirs.length}) for one overlayfs mount`, {
        suggestions: ['squash the image (fewer RUN steps) or export and import it as one layer'],
      });
    }
    await writeJsonAtomic(path.join(dir, 'snapshot.json'), file);
    this.tracer.emit(key, 'snapshot.prepare', {
      lowerCount: layerDirs.length,
      lowerdir: lowerdirs,
      upperdir: snapshot.upperdir,
      workdir: snapshot.workdir,
      rootfs: snapshot.rootfs,
      shortLinks: lowerdirs !== file.layerDirs && lowerdirs[0]?.startsWith(this.linksDir),
    });
    return snapshot;
  }

  /** <snapshots>/l/<10 chars> -> layer dir; the same layer always gets the same link */
  private async shortLinks(dirs: string[]): Promise<string[]> {
    await fs.mkdir(this.linksDir, { recursive: true });
    const out: string[] = [];
    for (const target of dirs) {
      const link = path.join(this.linksDir, shortLinkName(target));
      const existing = await fs.readlink(link).catch(() => undefined);
      if (existing !== target) {
        await fs.rm(link, { force: true });
        await fs.symlink(target, link);
      }
      out.push(link);
    }
    return out;
  }

  async get(key: string): Promise<Snapshot | undefined> {
    const file = await readJsonIfExists<SnapshotFile>(path.join(this.dir(key), 'snapshot.json'));
    return file ? this.describe(file) : undefined;
  }

  async remove(key: string): Promise<void> {
    const dir = this.dir(key);
    const merged = path.join(dir, 'merged');
    if (await this.isMounted(merged)) {
      throw failedPrecondition(`snapshot "${key}" is still mounted at ${merged}`, { suggestions: ['unmount it first (Mounter.unmount)'] });
    }
    await fs.rm(dir, { recursive: true, force: true });
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.containersDir);
    } catch {
      return [];
    }
    return names.filter((n) => KEY_PATTERN.test(n)).sort();
  }
}
