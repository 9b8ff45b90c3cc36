// The container service: everything the Docker API's /containers and /exec endpoints need. The API layer
// (src/engine/api) parses requests, calls one method, and writes the result or stream; it knows nothing
// of runc, fifos or cgroups. Object shapes returned here are Docker's (inspect, list, stats, top), so the
// API serialises them as they are.
import type { Readable, Writable } from 'node:stream';
import type { ContainerCreateBody, ContainerUpdateBody, ExecCreateBody, PruneFilter } from '../docker-model.js';
import type { ContainerEventListener } from './container-events.js';

export type StdStream = 'stdout' | 'stderr';

export interface OutputChunk {
  stream: StdStream;
  data: Buffer;
}

/** A live connection to a container's (or an exec's) stdio. */
export interface StdioSession {
  /** present when stdin was requested and the process has it open */
  stdin?: Writable;
  /** receives output until the process ends or the session is closed */
  onOutput(listener: (chunk: OutputChunk) => void): void;
  /** resolves when no more output will come (process exited, or detached) */
  readonly done: Promise<void>;
  /** stops delivering output and lets go of stdin; the process keeps running */
  close(): void;
}

export interface AttachOptions {
  stream: boolean;
  logs: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export interface LogOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  /** unix seconds (fractional allowed); 0 = no bound */
  since: number;
  until: number;
  timestamps: boolean;
  /** number of lines from the end, or 'all' */
  tail: number | 'all';
}

export interface LogEntry {
  stream: StdStream;
  /** the line, with its trailing newline */
  log: string;
  /** RFC3339Nano */
  time: string;
}

export interface ListOptions {
  all: boolean;
  limit?: number;
  /** Docker's filters map: { status: ['running'], name: ['web'], label: ['a=b'], id: [...], ancestor: [...], exited: ['0'] } */
  filters: Record<string, string[]>;
  size?: boolean;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface ContainerService {
  create(body: ContainerCreateBody, name?: string): Promise<{ Id: string; Warnings: string[] }>;
  start(ref: string): Promise<void>;
  /** SIGTERM (or the StopSignal), then SIGKILL after timeout seconds */
  stop(ref: string, timeoutSeconds?: number): Promise<void>;
  restart(ref: string, timeoutSeconds?: number): Promise<void>;
  kill(ref: string, signal?: string): Promise<void>;
  pause(ref: string): Promise<void>;
  unpause(ref: string): Promise<void>;
  wait(ref: string, condition: WaitCondition): Promise<{ StatusCode: number; Error?: { Message: string } | null }>;
  remove(ref: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  rename(ref: string, newName: string): Promise<void>;
  /** `docker update`: new limits and restart policy (checked at the API's edge); a running container's cgroup changes at once */
  update(ref: string, update: ContainerUpdateBody): Promise<void>;
  /** Docker's ContainerSummary objects */
  list(options: ListOptions): Promise<Record<string, unknown>[]>;
  /** Docker's ContainerInspectResponse */
  inspect(ref: string): Promise<Record<string, unknown>>;
  /** the container id for a name, id or id prefix; throws NOT_FOUND `No such container: <ref>` */
  resolveId(ref: string): Promise<string>;
  attach(ref: string, options: AttachOptions): Promise<StdioSession>;
  resize(ref: string, height: number, width: number): Promise<void>;
  logs(ref: string, options: LogOptions): AsyncIterable<LogEntry>;
  /** { Titles, Processes } as `docker top` prints */
  top(ref: string, psArgs?: string): Promise<{ Titles: string[]; Processes: string[][] }>;
  /** Docker's stats object (one sample) */
  stats(ref: string): Promise<Record<string, unknown>>;
  /** a tar of a path in the container's filesystem (docker cp out), with Docker's stat header value */
  getArchive(ref: string, path: string): Promise<{ stat: Record<string, unknown>; tar: Readable }>;
  /** extracts a tar into a folder of the container's filesystem (docker cp in) */
  putArchive(ref: string, path: string, tar: Readable): Promise<void>;
  statPath(ref: string, path: string): Promise<Record<string, unknown>>;
  /** changes to the root filesystem against the image: Kind 0 modified, 1 added, 2 deleted */
  changes(ref: string): Promise<Array<{ Path: string; Kind: 0 | 1 | 2 }>>;
  /** `docker export`: a tar of the container's root filesystem (its image and writable layer merged, no volumes) */
  exportRootfs(ref: string): Promise<Readable>;

  execCreate(ref: string, body: ExecCreateBody): Promise<{ Id: string }>;
  /** starts an exec; with detach the session has no output */
  execStart(execId: string, options: { detach: boolean; tty: boolean }): Promise<StdioSession>;
  execResize(execId: string, height: number, width: number): Promise<void>;
  /** Docker's ExecInspectResponse */
  execInspect(execId: string): Promise<Record<string, unknown>>;

  /** removes stopped containers; returns ids and bytes reclaimed */
  prune(filter: PruneFilter): Promise<{ ContainersDeleted: string[]; SpaceReclaimed: number }>;
  /** is any container (running or not) using this image / volume? */
  imageInUse(imageId: string): boolean;
  volumeInUse(name: string): boolean;
  /** the ids of the containers (running or not) that mount this volume, for "volume is in use - [ids]" */
  volumeUsers(name: string): string[];
  /** Docker's container events (create, start, die, ...) as the lifecycle reaches each step; returns the unsubscribe */
  subscribeEvents(listener: ContainerEventListener): () => void;
  /** reconnects to containers that kept running while the engine was down; cleans what a crash left */
  recover(): Promise<void>;
  /** stops restart timers and lets go of fifos; containers keep running */
  close(): Promise<void>;
}
