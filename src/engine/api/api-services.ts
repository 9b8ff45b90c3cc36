// What the API layer needs from the engine: the three stores/services behind Docker's object endpoints,
// a source of trace events (for `boxlab explain`), and facts for /info and /version.
import type { ContainerService } from '../containers/container-service.js';
import type { Distribution } from '../distribution/distribution-service.js';
import type { ImageStore } from '../images/image-store.js';
import type { TraceEvent } from '../trace/trace-event.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import type { Logger } from '../../core/logger.js';
import type { EventHub } from './docker-events.js';
import type { NetworkPlane } from '../network/network-plane.js';
import type { HostFacts } from '../host/host-facts.js';

export interface TraceSource {
  read(objectId: string): Promise<TraceEvent[]>;
  subscribe(listener: (event: TraceEvent) => void): () => void;
  /** a removed container whose story is still kept (trace/removed-traces.ts) */
  findRemoved?(ref: string): Promise<{ id: string } | undefined>;
}

export interface EngineFacts {
  /** the engine's root (Docker's DockerRootDir) */
  root: string;
  /** boxlab's version, shown as the server version */
  version: string;
  /** the host, read once at engine start (kernel, OS, CPUs, cgroup version, runc's and docker-init's versions) */
  host: HostFacts;
  /** what the engine's configuration says that `docker info` shows (default: nothing configured) */
  settings?: EngineInfoSettings;
}

/** the configuration `docker info` reports: Debug Mode, Logging Driver, Registry Mirrors, Insecure Registries, Labels */
export interface EngineInfoSettings {
  debug: boolean;
  /** daemon.json's labels, "key=value" (default none) */
  labels?: string[];
  logDriver: string;
  /** "http://127.0.0.1:5000/" */
  registryMirrors: string[];
  /** "myreg:5000" or CIDRs */
  insecureRegistries: string[];
}

export interface ApiServices {
  containers: ContainerService;
  images: ImageStore;
  volumes: VolumeStore;
  trace: TraceSource;
  events: EventHub;
  facts: EngineFacts;
  log: Logger;
  /** the registry client (pull, push, login); without it, pulls answer from local images only (fakes) */
  distribution?: Distribution;
  /** bridge networks (issue 3); without it only host and none are listed */
  networks?: NetworkPlane;
}
