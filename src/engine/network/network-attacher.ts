// The port through which the container service uses the network plane (ContainerServiceDeps.network).
// create -> register (the container is a member of its network, its -p/-P kept), start -> attach (netns,
// veth, address, published ports; before runc), exit -> detach (all of it removed), remove -> forget.
import type { ContainerConfig, HostConfig, PortRequest } from '../docker-model.js';

export interface RegisterRequest {
  containerId: string;
  /** without the slash */
  name: string;
  hostConfig: HostConfig;
  networkingConfig?: { EndpointsConfig?: Record<string, unknown> };
  /** -p and -P, parsed at the API's edge (ContainerCreateBody.publishedPorts); absent: nothing published */
  ports?: PortRequest[];
}

export interface AttachRequest {
  containerId: string;
  name: string;
  hostname: string;
  hostConfig: HostConfig;
  exposedPorts: ContainerConfig['ExposedPorts'];
  /** the container's /etc/hosts (bind-mounted): the plane adds its entries to it, in place */
  hostsPath: string;
  /** the file's content as the container service wrote it */
  hostsBase: string;
  /** the container's /etc/resolv.conf (bind-mounted): on a user network it names the engine's DNS server */
  resolvConfPath?: string;
}

export interface NetworkView {
  /** NetworkSettings of docker inspect */
  settings: Record<string, unknown>;
  /** Ports of docker ps */
  summaryPorts: Array<Record<string, unknown>>;
  /** NetworkSettings.Networks for docker ps */
  summaryNetworks: Record<string, unknown>;
}

export interface NetworkAttacher {
  register(req: RegisterRequest): Promise<void>;
  /** undefined: not on a bridge network (host, none, container:<id>): the service decides */
  attach(req: AttachRequest): Promise<{ network: { mode: 'path'; path: string } } | undefined>;
  detach(containerId: string): Promise<void>;
  forget(containerId: string): Promise<void>;
  view(containerId: string, exposedPorts: ContainerConfig['ExposedPorts']): NetworkView | undefined;
}

/** NetworkMode values that mean the default bridge network */
export function isDefaultMode(mode: string | undefined): boolean {
  return !mode || mode === 'default' || mode === 'bridge';
}
