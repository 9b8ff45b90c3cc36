// The distribution plane as the API sees it: pull (two phases), push, login, over one image store and
// content store, with the engine's registry settings (mirrors, insecure registries).
import type { ContentStore } from '../content/content-store.js';
import type { Tracer } from '../trace/tracer.js';
import type { ProgressSink } from './progress-message.js';
import { PullService, type PullTarget, type ResolvedPull } from './pull-service.js';
import { PushService, type PushResult, type PushSource } from './push-service.js';
import type { RegistryCredentials } from './registry-credentials.js';
import type { EndpointOptions } from './registry-endpoint.js';
import { registryLogin, type LoginResult } from './registry-login.js';

export interface Distribution {
  resolvePull(reference: string, credentials: RegistryCredentials): Promise<ResolvedPull>;
  push(reference: string, credentials: RegistryCredentials, progress: ProgressSink): Promise<PushResult>;
  login(credentials: RegistryCredentials): Promise<LoginResult>;
}

export interface RegistryDistributionOptions extends EndpointOptions {
  images: PullTarget & PushSource;
  content: ContentStore;
  tmpDir: string;
  tracer?: Tracer;
}

export class RegistryDistribution implements Distribution {
  private readonly pulls: PullService;
  private readonly pushes: PushService;

  constructor(private readonly options: RegistryDistributionOptions) {
    this.pulls = new PullService(options);
    this.pushes = new PushService(options);
  }

  resolvePull(reference: string, credentials: RegistryCredentials): Promise<ResolvedPull> {
    return this.pulls.resolve(reference, { credentials });
  }

  push(reference: string, credentials: RegistryCredentials, progress: ProgressSink): Promise<PushResult> {
    return this.pushes.push(reference, credentials, progress);
  }

  login(credentials: RegistryCredentials): Promise<LoginResult> {
    return registryLogin(credentials, this.options);
  }
}
