// Fakes of the engine's services for the API's unit tests: in-memory containers with controllable stdio
// sessions, an image store and a volume store. They implement the contracts, nothing more.
import { EventEmitter } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { AppError, notFound } from '../../../../src/core/errors.js';
import { silentLogger } from '../../../../src/core/logger.js';
import type { ApiServices } from '../../../../src/engine/api/api-services.js';
import type { ContainerCreateBody, ContainerUpdateBody, ExecCreateBody } from '../../../../src/engine/docker-model.js';
import { EventHub, publishContainerEvents } from '../../../../src/engine/api/docker-events.js';
import type { ContainerEvent, ContainerEventListener } from '../../../../src/engine/containers/container-events.js';
import type {
  AttachOptions, ContainerService, ListOptions, LogEntry, LogOptions, OutputChunk, StdioSession, WaitCondition,
} from '../../../../src/engine/containers/container-service.js';
import type { HostFacts } from '../../../../src/engine/host/host-facts.js';
import type { ImageRecord } from '../../../../src/engine/images/image-record.js';
import type { ImageStore } from '../../../../src/engine/images/image-store.js';
import type { TraceEvent } from '../../../../src/engine/trace/trace-event.js';
import type { VolumeRecord, VolumeStore } from '../../../../src/engine/volumes/volume-store.js';

/** a session the test drives: emit output, read what reached stdin, end it */
export class FakeSession implements StdioSession {
  readonly stdin: PassThrough | undefined;
  readonly stdinText: Promise<string>;
  private readonly out = new EventEmitter();
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));
  closed = false;

  constructor(withStdin: boolean) {
    this.stdin = withStdin ? new PassThrough() : undefined;
    this.stdinText = this.stdin
      ? new Promise((resolve) => {
          const chunks: Buffer[] = [];
          this.stdin!.on('data', (c: Buffer) => chunks.push(c));
          this.stdin!.on('end', () => resolve(Buffer.concat(chunks).toString()));
        })
      : Promise.resolve('');
  }
  onOutput(listener: (chunk: OutputChunk) => void): void {
    this.out.on('chunk', listener);
  }
  emit(stream: 'stdout' | 'stderr', text: string): void {
    this.out.emit('chunk', { stream, data: Buffer.from(text) });
  }
  end(): void {
    this.resolveDone();
  }
  close(): void {
    this.closed = true;
    this.resolveDone();
  }
}

interface FakeContainer {
  id: string;
  name: string;
  tty: boolean;
  running: boolean;
  logs: LogEntry[];
}

export class FakeContainerService implements ContainerService {
  readonly containers = new Map<string, FakeContainer>();
  readonly calls: string[] = [];
  /** the last session handed out by attach/execStart, with the options it was asked for */
  lastSession?: FakeSession;
  lastAttach?: AttachOptions;
  lastExecStart?: { id: string; detach: boolean; tty: boolean };
  waitResult = new Map<string, { resolve: (code: number) => void; promise: Promise<number> }>();

  add(id: string, name: string, opts: { tty?: boolean; running?: boolean; logs?: LogEntry[] } = {}): void {
    this.containers.set(id, { id, name, tty: opts.tty ?? false, running: opts.running ?? true, logs: opts.logs ?? [] });
  }
  private get(ref: string): FakeContainer {
    for (const c of this.containers.values()) if (c.id === ref || c.name === ref || c.id.startsWith(ref)) return c;
    throw notFound(`No such container: ${ref}`);
  }
  async resolveId(ref: string): Promise<string> {
    return this.get(ref).id;
  }
  readonly events = new EventEmitter();
  subscribeEvents(listener: ContainerEventListener) {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }
  async create(body: ContainerCreateBody, name?: string) {
    const id = `c${this.containers.size + 1}`.padEnd(64, '0');
    this.add(id, name ?? id.slice(0, 12), { tty: body.Tty ?? false, running: false });
    this.calls.push(`create ${name ?? ''} ${body.Image ?? ''}`);
    this.events.emit('event', { action: 'create', id, name: name ?? id.slice(0, 12), image: body.Image ?? '', labels: body.Labels ?? {}, attributes: {} } satisfies ContainerEvent);
    return { Id: id, Warnings: [] };
  }
  async start(ref: string) {
    this.get(ref).running = true;
    this.calls.push(`start ${ref}`);
  }
  async stop(ref: string, t?: number) {
    this.get(ref).running = false;
    this.calls.push(`stop ${ref} ${t ?? ''}`);
  }
  async restart(ref: string) {
    this.calls.push(`restart ${ref}`);
  }
  async kill(ref: string, signal?: string) {
    this.get(ref);
    this.calls.push(`kill ${ref} ${signal ?? ''}`);
  }
  async pause(ref: string) {
    this.calls.push(`pause ${ref}`);
  }
  async unpause(ref: string) {
    this.calls.push(`unpause ${ref}`);
  }
  async wait(ref: string, condition: WaitCondition) {
    const c = this.get(ref);
    this.calls.push(`wait ${ref} ${condition}`);
    let resolve!: (code: number) => void;
    const promise = new Promise<number>((r) => (resolve = r));
    this.waitResult.set(c.id, { resolve, promise });
    return { StatusCode: await promise, Error: null };
  }
  async remove(ref: string, options: { force: boolean; volumes: boolean }) {
    const c = this.get(ref);
    if (c.running && !options.force) {
      throw new AppError(
        'FAILED_PRECONDITION',
        `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`,
      );
    }
    this.containers.delete(c.id);
  }
  async rename(ref: string, newName: string) {
    this.get(ref).name = newName;
  }
  async list(options: ListOptions) {
    return [...this.containers.values()]
      .filter((c) => options.all || c.running)
      .map((c) => ({ Id: c.id, Names: [`/${c.name}`], State: c.running ? 'running' : 'exited' }));
  }
  async inspect(ref: string) {
    const c = this.get(ref);
    return { Id: c.id, Name: `/${c.name}`, Config: { Tty: c.tty, Image: 'busybox' }, State: { Running: c.running, Status: c.running ? 'running' : 'exited' } };
  }
  async attach(ref: string, options: AttachOptions) {
    this.get(ref);
    this.lastAttach = options;
    this.lastSession = new FakeSession(options.stdin);
    return this.lastSession;
  }
  async resize() {}
  async *logs(ref: string, options: LogOptions): AsyncIterable<LogEntry> {
    const c = this.get(ref);
    const entries = c.logs.filter((e) => (e.stream === 'stdout' ? options.stdout : options.stderr));
    yield* options.tail === 'all' ? entries : entries.slice(-options.tail);
  }
  async top() {
    return { Titles: ['PID', 'CMD'], Processes: [['1', 'sleep 100']] };
  }
  async stats(ref: string) {
    return { id: this.get(ref).id, read: new Date().toISOString() };
  }
  async getArchive(ref: string, path: string): Promise<{ stat: Record<string, unknown>; tar: Readable }> {
    this.get(ref);
    return { stat: { name: path.split('/').pop(), size: 3, mode: 420, mtime: '2026-01-01T00:00:00Z', linkTarget: '' }, tar: Readable.from([Buffer.from('tar-bytes')]) };
  }
  readonly uploads: Array<{ path: string; data: string }> = [];
  async putArchive(ref: string, path: string, tar: Readable) {
    this.get(ref);
    const chunks: Buffer[] = [];
    for await (const c of tar) chunks.push(c as Buffer);
    this.uploads.push({ path, data: Buffer.concat(chunks).toString() });
  }
  async statPath(ref: string, path: string) {
    this.get(ref);
    return { name: path, size: 0, mode: 2147484141, mtime: '2026-01-01T00:00:00Z', linkTarget: '' };
  }
  async changes() {
    return [];
  }
  readonly updates: Array<{ id: string; update: ContainerUpdateBody }> = [];
  async update(ref: string, update: ContainerUpdateBody) {
    this.updates.push({ id: this.get(ref).id, update });
  }
  async exportRootfs(ref: string): Promise<Readable> {
    this.get(ref);
    return Readable.from([Buffer.from('rootfs-tar')]);
  }
  readonly execs = new Map<string, { container: string; body: ExecCreateBody }>();
  async execCreate(ref: string, body: ExecCreateBody) {
    const id = `e${this.execs.size + 1}`;
    this.execs.set(id, { container: this.get(ref).id, body });
    return { Id: id };
  }
  async execStart(execId: string, options: { detach: boolean; tty: boolean }) {
    const exec = this.execs.get(execId);
    if (!exec) throw notFound(`No such exec instance: ${execId}`);
    this.lastExecStart = { id: execId, ...options };
    this.lastSession = new FakeSession(!options.detach && (exec.body.AttachStdin ?? false));
    return this.lastSession;
  }
  async execResize() {}
  async execInspect(execId: string) {
    if (!this.execs.has(execId)) throw notFound(`No such exec instance: ${execId}`);
    return { ID: execId, ExitCode: 0, Running: false };
  }
  async prune() {
    return { ContainersDeleted: [], SpaceReclaimed: 0 };
  }
  imageInUse(): boolean {
    return false;
  }
  volumeInUse(): boolean {
    return false;
  }
  volumeUsers(): string[] {
    return [];
  }
  async recover() {}
  async close() {}
}

/** a two-CPU Debian 12 host with Debian's runc and tini (the versions of test/fixtures/outputs/host/) */
export const FAKE_HOST: HostFacts = {
  arch: 'amd64',
  machine: 'x86_64',
  kernel: '6.1.0-test',
  operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
  osVersion: '12',
  ncpu: 2,
  memTotal: 4 * 1024 ** 3,
  cgroupVersion: '2',
  cpusetCpus: '0-1',
  cpusetMems: '0',
  runc: { version: '1.1.5+ds1', commit: '1.1.5+ds1-1+deb12u1' },
  init: { path: '/usr/bin/tini', version: '0.19.0', commit: '' },
};

export const BUSYBOX: ImageRecord = {
  id: 'sha256:' + 'b'.repeat(64),
  repoTags: ['busybox:latest'],
  repoDigests: [],
  created: '2026-11-23T00:00:00Z',
  architecture: 'amd64',
  os: 'linux',
  config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
  layers: [{ digest: 'sha256:' + 'l'.repeat(64), diffId: 'sha256:' + 'd'.repeat(64), chainId: 'sha256:' + 'd'.repeat(64), mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 1000 }],
  history: [{ created: '2026-11-23T00:00:00Z', created_by: 'boxlab image bake busybox' }],
  size: 2000,
  manifestDigest: 'sha256:' + 'm'.repeat(64),
};

export class FakeImageStore implements ImageStore {
  images: ImageRecord[] = [BUSYBOX];
  loaded: string[] = [];
  async list() {
    return this.images;
  }
  async resolve(ref: string) {
    const full = ref.includes(':') || ref.startsWith('sha256') ? ref : `${ref}:latest`;
    const found = this.images.find((i) => i.repoTags.includes(full) || i.id === ref || i.id.replace('sha256:', '').startsWith(ref));
    if (!found) throw notFound(`No such image: ${full}`);
    return found;
  }
  layerDirs() {
    return ['/root/snapshots/layers/a/fs'];
  }
  async tag(ref: string, newRef: string) {
    (await this.resolve(ref)).repoTags.push(newRef);
  }
  async remove(ref: string) {
    const image = await this.resolve(ref);
    return [{ Untagged: image.repoTags[0] }, { Deleted: image.id }];
  }
  async load(tarball: Readable, progress?: (m: { status: string; id?: string }) => void) {
    const chunks: Buffer[] = [];
    for await (const c of tarball) chunks.push(c as Buffer);
    this.loaded.push(Buffer.concat(chunks).toString());
    progress?.({ status: 'Loading layer', id: 'dddddddddddd' });
    return ['busybox:latest'];
  }
  async save(_refs: string[], out: Writable) {
    out.end('tarball');
  }
}

export class FakeVolumeStore implements VolumeStore {
  readonly volumes = new Map<string, VolumeRecord>();
  async create(name: string | undefined, labels: Record<string, string> = {}) {
    const n = name ?? 'anon'.padEnd(64, '0');
    const v: VolumeRecord = { Name: n, Driver: 'local', Mountpoint: `/root/volumes/${n}/_data`, CreatedAt: '2026-11-23T00:00:00Z', Labels: labels, Scope: 'local', Options: {} };
    this.volumes.set(n, v);
    return v;
  }
  async get(name: string) {
    const v = this.volumes.get(name);
    if (!v) throw notFound(`get ${name}: no such volume`);
    return v;
  }
  async list() {
    return [...this.volumes.values()];
  }
  async remove(name: string) {
    await this.get(name);
    this.volumes.delete(name);
  }
  async usage() {
    return 0;
  }
}

export function fakeServices(): ApiServices & { containers: FakeContainerService; images: FakeImageStore; volumes: FakeVolumeStore; traceEvents: TraceEvent[] } {
  const traceEvents: TraceEvent[] = [];
  const live = new EventEmitter();
  const containers = new FakeContainerService();
  const events = new EventHub();
  publishContainerEvents(events, containers);
  return {
    containers,
    images: new FakeImageStore(),
    volumes: new FakeVolumeStore(),
    traceEvents,
    trace: {
      read: async (id) => traceEvents.filter((e) => e.objectId === id),
      subscribe: (listener) => {
        live.on('e', listener);
        return () => live.off('e', listener);
      },
    },
    events,
    facts: { root: '/root', version: '0.1.0-test', host: FAKE_HOST },
    log: silentLogger,
  };
}

