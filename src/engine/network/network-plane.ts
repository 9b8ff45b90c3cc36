// The network plane: Docker's bridge driver over Linux tools. It keeps the networks (NetworkStore), hands
// out addresses (IPAM), builds each running container's network namespace, veth pair and address
// (BridgeDriver), publishes ports and isolates networks with iptables (iptables-rules.ts, applied as one
// set), and serves container names on user networks from a DNS server per network (dns/embedded-dns.ts,
// ADR 0009), also written into /etc/hosts (hosts-entries.ts).
// All changes go through one queue: two containers starting at once must not get the same address.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { failedPrecondition, isAppError, messageOf, type AppError } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { newId } from '../../core/ids.js';
import type { ContainerConfig } from '../docker-model.js';
import type { Tracer } from '../trace/tracer.js';
import { BridgeDriver } from './bridge-driver.js';
import { subnetPool, type DefaultBridge } from './default-bridge.js';
import { hostsSection, parseLink, type HostsPeer } from './hosts-entries.js';
import { canBind, pickFreePort } from './host-ports.js';
import { allocateAddress } from './ipam.js';
import { Iptables } from './iptables.js';
import { buildRules, chainNames, ruleLine, type Chains, type Rule } from './iptables-rules.js';
import { macForIp, nthAddress, overlaps, parseSubnet, isIpv4, contains } from './ipv4.js';
import type { AttachRequest, NetworkAttacher, NetworkView, RegisterRequest } from './network-attacher.js';
import { isDefaultMode } from './network-attacher.js';
import { badRequest, conflict, inUse, networkNotFound, packetFilterUnusable } from './network-errors.js';
import { BUILTIN_NETWORKS, type Endpoint, type Member, type NetworkRecord, type PortMapping } from './network-record.js';
import { NetworkStore } from './network-store.js';
import { boolOption, BRIDGE_NAME_OPTION, checkAliases, checkDriverOptions, checkHostname, checkIpv4Address, shown } from './network-names.js';
import { EmbeddedDns } from './dns/embedded-dns.js';
import { EMBEDDED_DNS_ADDRESS, redirectToEngine } from './dns/dns-redirect.js';
import { pointAtEmbeddedDns } from './dns/resolv-conf-dns.js';
import { builtinNetwork, containerNetworkView, networkView } from './network-views.js';
import { portRequests } from './port-bindings.js';
import { defaultRouteIndex, takesDefaultRoute } from './default-route.js';

/** how long an engine with no container on a network keeps the default bridge and its chains */
const IDLE_TEARDOWN_MS = 2000;

export interface NetworkPlaneOptions {
  /** the engine's root: networks/ (records) and netns/ (namespace files) go under it */
  root: string;
  defaultBridge: DefaultBridge;
  tracer: Tracer;
  /** the kernel side (default: the real ones); unit tests pass recording doubles */
  driver?: LinkDriver;
  iptables?: RuleWriter;
  /** is a host port free? (default: bind it once, host-ports.ts) */
  canBind?: typeof canBind;
  /** the user networks' DNS servers (default: real ones, unless `driver` is a double); null: none */
  dns?: EmbeddedDns | null;
}

/** what the plane needs from the bridge driver (bridge-driver.ts) */
export type LinkDriver = Pick<BridgeDriver, 'linkExists' | 'ensureBridge' | 'adoptBridge' | 'deleteLink' | 'deleteBridge' | 'netnsPath' | 'createNetns' | 'removeNetns' | 'listNetnsFiles' | 'plug'>;
/** what the plane needs from iptables (iptables.ts) */
export type RuleWriter = Pick<Iptables, 'detectBackend' | 'probe' | 'apply' | 'teardown'>;

export interface CreateNetworkRequest {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  IPAM?: { Driver?: string; Config?: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  EnableIPv6?: boolean;
}

export interface ContainerRef {
  containerId: string;
  name: string;
  running: boolean;
}

/** endpoint bookkeeping the records need for /etc/hosts updates */
type LiveEndpoint = Endpoint & { hostsPath?: string; hostsBase?: string; hostname?: string; primary?: boolean };

export class NetworkPlane implements NetworkAttacher {
  private readonly networks = new Map<string, NetworkRecord>();
  private readonly store: NetworkStore;
  private readonly driver: LinkDriver;
  private readonly iptables: RuleWriter;
  private readonly canBind: typeof canBind;
  private readonly chains: Chains;
  private queue: Promise<unknown> = Promise.resolve();
  /** unknown at start (a crash may have left them): teardown looks before it removes */
  private rulesMayExist = true;
  private idleTimer?: NodeJS.Timeout;
  /** why the kernel's packet filter could not be used the last time it was tried (cleared when it works again) */
  private filterProblem?: AppError;
  private filterChecked = false;
  private readonly dns?: EmbeddedDns;
  /** containers disconnected from every network (networks/disconnected.json): they start with loopback only */
  private readonly disconnected = new Set<string>();

  constructor(private readonly options: NetworkPlaneOptions) {
    const realDns = options.driver ? null : new EmbeddedDns({ tracer: options.tracer, networks: () => this.networks.values() });
    this.dns = (options.dns === undefined ? realDns : options.dns) ?? undefined;
    this.store = new NetworkStore(path.join(options.root, 'networks'));
    this.driver = options.driver ?? new BridgeDriver(path.join(options.root, 'netns'));
    this.chains = chainNames(options.defaultBridge.chainPrefix);
    this.iptables = options.iptables ?? new Iptables(this.chains);
    this.canBind = options.canBind ?? canBind;
  }

  /** one change at a time */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async init(): Promise<void> {
    for (const n of await this.store.loadAll()) this.networks.set(n.Id, n);
    for (const id of await this.store.loadDisconnected()) this.disconnected.add(id);
    const want = this.options.defaultBridge;
    let def = this.defaultNetwork();
    if (def && Object.keys(def.endpoints).length === 0 && (def.bridge !== want.bridge || def.Subnet !== parseSubnet(want.subnet).cidr)) {
      // the engine was started with another --bridge-name/--bridge-subnet: follow it
      await this.deleteOwnBridge(def);
      this.networks.delete(def.Id);
      await this.store.remove(def.Id);
    }
    if (!this.defaultNetwork()) {
      const subnet = parseSubnet(want.subnet);
      // the containers configured on the old default network stay on the new one
      const record = this.newRecord('bridge', subnet.cidr, nthAddress(subnet, 1), want.bridge, { isDefault: true, members: def?.members ?? {} });
      record.Options = {
        'com.docker.network.bridge.default_bridge': 'true',
        'com.docker.network.bridge.enable_icc': 'true',
        'com.docker.network.bridge.enable_ip_masquerade': 'true',
        'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
        'com.docker.network.bridge.name': want.bridge,
        'com.docker.network.driver.mtu': '1500',
      };
      this.networks.set(record.Id, record);
      await this.store.save(record);
    }
  }

  private newRecord(name: string, subnet: string, gateway: string, bridge: string, extra: Partial<NetworkRecord> = {}): NetworkRecord {
    return {
      Id: newId(),
      Name: name,
      Created: new Date().toISOString(),
      Driver: 'bridge',
      Subnet: subnet,
      Gateway: gateway,
      bridge,
      Internal: false,
      icc: true,
      Options: {},
      Labels: {},
      isDefault: false,
      allocations: {},
      members: {},
      endpoints: {},
      ...extra,
    };
  }

  private defaultNetwork(): NetworkRecord | undefined {
    return [...this.networks.values()].find((n) => n.isDefault);
  }

  /** by name, full id or id prefix, as Docker looks networks up */
  find(ref: string): NetworkRecord | undefined {
    const all = [...this.networks.values()];
    return all.find((n) => n.Name === ref) ?? all.find((n) => n.Id === ref) ?? (ref.length >= 1 ? all.filter((n) => n.Id.startsWith(ref)).at(0) : undefined);
  }

  private mustFind(ref: string): NetworkRecord {
    const n = this.find(ref);
    if (!n) throw networkNotFound(ref);
    return n;
  }

  private trace(containerId: string | undefined, step: Parameters<Tracer['emit']>[1], details: Record<string, unknown>): void {
    if (containerId) this.options.tracer.emit(containerId, step, details);
  }

  // ------------------------------------------------------------------ networks (the API's /networks)

  list(): Record<string, unknown>[] {
    const own = [...this.networks.values()].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.Created.localeCompare(b.Created));
    return [...own.map(networkView), ...BUILTIN_NETWORKS.map(builtinNetwork)];
  }

  inspect(ref: string): Record<string, unknown> {
    const builtin = BUILTIN_NETWORKS.find((b) => b === ref || builtinNetwork(b).Id === ref);
    if (builtin) return builtinNetwork(builtin);
    return networkView(this.mustFind(ref));
  }

  create(req: CreateNetworkRequest): Promise<{ Id: string; Warning: string }> {
    return this.serial(async () => {
      const name = typeof req.Name === 'string' ? req.Name : '';
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw badRequest(`invalid network name ${shown(name)}: use letters, digits, "_", "." and "-"`);
      if ((BUILTIN_NETWORKS as readonly string[]).includes(name) || this.find(name)?.Name === name) {
        throw conflict(`network with name ${name} already exists`, ['pick another name, or remove the old one: docker network rm ' + name]);
      }
      const driver = req.Driver || 'bridge';
      if (driver !== 'bridge') throw badRequest(`network driver "${driver}" is not supported: boxlab has the bridge driver only`, ['leave out --driver, or use --driver bridge']);
      if (req.EnableIPv6) throw badRequest('IPv6 networks are not supported by boxlab', ['leave out --ipv6']);
      const config = Array.isArray(req.IPAM?.Config) ? req.IPAM.Config[0] : undefined;
      for (const [field, value] of Object.entries({ Subnet: config?.Subnet, Gateway: config?.Gateway })) {
        if (value !== undefined && value !== null && typeof value !== 'string') throw badRequest(`invalid IPAM ${field} ${JSON.stringify(value)}: expected a string such as 10.77.0.0/24 or 10.77.0.1`);
      }
      const others = await this.usedSubnets();
      let subnetCidr: string;
      if (config?.Subnet) {
        const subnet = parseSubnet(config.Subnet);
        const clash = others.find((o) => overlaps(parseSubnet(o.subnet), subnet));
        if (clash) {
          throw badRequest(`invalid pool request: Pool overlaps with other one on this address space: ${subnet.cidr} overlaps ${clash.what} (${clash.subnet})`, [
            'pick a subnet that no other network or host route uses (docker network inspect <name>, ip route)',
          ]);
        }
        subnetCidr = subnet.cidr;
      } else {
        const free = [...subnetPool()].find((c) => !others.some((o) => overlaps(parseSubnet(o.subnet), parseSubnet(c))));
        if (!free) throw failedPrecondition('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network', { suggestions: ['give one with --subnet'] });
        subnetCidr = free;
      }
      const subnet = parseSubnet(subnetCidr);
      const gateway = config?.Gateway || nthAddress(subnet, 1);
      if (!isIpv4(gateway) || !contains(subnet, gateway)) throw badRequest(`invalid gateway ${shown(gateway)}: it must be an address in ${subnet.cidr}`);
      const options = checkDriverOptions(req.Options);
      const id = newId();
      const bridge = options[BRIDGE_NAME_OPTION] || `br-${id.slice(0, 12)}`;
      const sameBridge = [...this.networks.values()].find((n) => n.bridge === bridge);
      if (sameBridge) {
        throw conflict(`cannot create network ${id} (${bridge}): conflicts with network ${sameBridge.Id} (${sameBridge.bridge}): networks have same bridge name`, [
          `network ${sameBridge.Name} uses it: pick another -o ${BRIDGE_NAME_OPTION}`,
        ]);
      }
      const record = this.newRecord(name, subnet.cidr, gateway, bridge, {
        Id: id,
        Internal: Boolean(req.Internal),
        icc: boolOption(options, 'com.docker.network.bridge.enable_icc', true),
        Options: options,
        Labels: req.Labels ?? {},
      });
      // an existing bridge is used and left in place on rm (dockerd); any other interface is refused
      record.bridgeCreated = await this.driver.ensureBridge(bridge, gateway, subnet.prefix);
      if (!record.bridgeCreated) await this.driver.adoptBridge(bridge, gateway, subnet.prefix);
      this.networks.set(id, record);
      await this.store.save(record);
      await this.syncKernel();
      return { Id: id, Warning: '' };
    });
  }

  /** subnets of boxlab's networks and the host's routes (not counting boxlab's own bridges) */
  private async usedSubnets(): Promise<Array<{ subnet: string; what: string }>> {
    const out = [...this.networks.values()].map((n) => ({ subnet: n.Subnet, what: `network ${n.Name}` }));
    const bridges = new Set([...this.networks.values()].map((n) => n.bridge));
    const routes = await run('ip', ['-4', '-j', 'route', 'show'], { allowFailure: true });
    try {
      for (const r of JSON.parse(routes.stdout || '[]') as Array<{ dst: string; dev?: string }>) {
        if (r.dst === 'default' || (r.dev && bridges.has(r.dev))) continue;
        const dst = r.dst.includes('/') ? r.dst : `${r.dst}/32`;
        if (/^[\d.]+\/\d+$/.test(dst) && Number(dst.split('/')[1]) >= 8) out.push({ subnet: dst, what: `a host route on ${r.dev ?? '?'}` });
      }
    } catch {
      // no JSON from ip: only boxlab's own networks are checked
    }
    return out;
  }

  remove(ref: string): Promise<void> {
    return this.serial(async () => {
      if ((BUILTIN_NETWORKS as readonly string[]).includes(ref)) throw failedPrecondition(`${ref} is a pre-defined network and cannot be removed`);
      const n = this.mustFind(ref);
      if (n.isDefault) throw failedPrecondition(`${n.Name} is a pre-defined network and cannot be removed`);
      if (Object.keys(n.endpoints).length > 0) throw inUse(n.Name, n.Id);
      await this.removeNetwork(n);
    });
  }

  private async removeNetwork(n: NetworkRecord): Promise<void> {
    this.networks.delete(n.Id);
    await this.dns?.stop(n.Id);
    await this.syncKernel();
    await this.deleteOwnBridge(n);
    await this.store.remove(n.Id);
  }

  /** the network's bridge, if the engine created it: a bridge the user named and made stays (dockerd) */
  private async deleteOwnBridge(n: NetworkRecord): Promise<void> {
    if (n.bridgeCreated !== false) await this.driver.deleteBridge(n.bridge);
  }

  /** user networks without containers */
  prune(): Promise<string[]> {
    return this.serial(async () => {
      const gone: string[] = [];
      for (const n of [...this.networks.values()]) {
        if (n.isDefault || Object.keys(n.members).length > 0 || Object.keys(n.endpoints).length > 0) continue;
        await this.removeNetwork(n);
        gone.push(n.Name);
      }
      return gone;
    });
  }

  /** docker network connect: a member from now on; a running container gets its endpoint at once */
  connect(ref: string, c: ContainerRef, config: { Aliases?: string[] | null; IPAMConfig?: { IPv4Address?: string } | null } = {}): Promise<void> {
    return this.serial(async () => {
      if ((BUILTIN_NETWORKS as readonly string[]).includes(ref)) throw failedPrecondition(`container cannot be connected to the ${ref} network: use docker run --network ${ref}`);
      const n = this.mustFind(ref);
      if (n.members[c.containerId]) throw conflict(`endpoint with name ${c.name} already exists in network ${n.Name}`);
      if (n.isDefault && config.Aliases?.length) throw badRequest('network-scoped alias is supported only for containers in user defined networks');
      const sandbox = this.endpointsOf(c.containerId)[0];
      if (c.running && !sandbox) throw failedPrecondition(`container ${c.name} has no bridge network namespace (it runs with --network none, host or container:): it cannot join ${n.Name}`);
      const member: Member = { containerId: c.containerId, name: c.name, aliases: checkAliases(config.Aliases), ipv4: checkIpv4Address(config.IPAMConfig?.IPv4Address), links: [] };
      n.members[c.containerId] = member;
      await this.markDisconnected(c.containerId, false);
      if (c.running && sandbox) {
        try {
          const index = this.endpointsOf(c.containerId).length;
          const current = this.endpointsOf(c.containerId).map((e) => e.network);
          await this.plugInto(n, member, sandbox.ep.netnsPath, `eth${index}`, false, [], undefined, takesDefaultRoute(n, current));
          const ep = n.endpoints[c.containerId] as LiveEndpoint;
          Object.assign(ep, { hostsPath: sandbox.ep.hostsPath, hostsBase: sandbox.ep.hostsBase, hostname: sandbox.ep.hostname });
        } catch (err) {
          delete n.members[c.containerId];
          throw err;
        }
        await this.syncKernel(c.containerId);
        await this.writeAllHosts();
        await this.dns?.ensure(n, c.containerId);
      }
      await this.store.save(n);
    });
  }

  disconnect(ref: string, containerId: string): Promise<void> {
    return this.serial(async () => {
      const n = this.mustFind(ref);
      if (!n.members[containerId] && !n.endpoints[containerId]) throw failedPrecondition(`container ${containerId.slice(0, 12)} is not connected to network ${n.Name}`);
      await this.unplug(n, containerId);
      delete n.members[containerId];
      await this.store.save(n);
      if (this.memberNetworks(containerId).length === 0) await this.markDisconnected(containerId, true);
      if (this.endpointsOf(containerId).length === 0) await this.driver.removeNetns(this.driver.netnsPath(containerId));
      await this.syncKernel();
      await this.writeAllHosts();
    });
  }

  // ------------------------------------------------------------------ the container service's port

  register(req: RegisterRequest): Promise<void> {
    return this.serial(async () => {
      const mode = req.hostConfig.NetworkMode;
      if (mode === 'host' || mode === 'none' || mode?.startsWith('container:')) return;
      const n = isDefaultMode(mode) ? this.defaultNetwork() : this.find(mode!);
      // 400, not Docker's 404: on a 404 the docker CLI thinks the image is missing and tries to pull it first
      if (!n) throw badRequest(`network ${mode ?? 'bridge'} not found`, ['list networks with: docker network ls']);
      const endpoints = (req.networkingConfig?.EndpointsConfig ?? {}) as Record<string, { Aliases?: string[] | null; IPAMConfig?: { IPv4Address?: string } | null } | undefined>;
      const ec = endpoints[mode ?? ''] ?? endpoints[n.Name] ?? endpoints[n.Id];
      const ipv4 = checkIpv4Address(ec?.IPAMConfig?.IPv4Address);
      const aliases = checkAliases(ec?.Aliases);
      if (ipv4 && n.isDefault) throw badRequest('user specified IP address is supported on user defined networks only');
      if (ipv4 && !contains(parseSubnet(n.Subnet), ipv4)) throw badRequest(`address ${ipv4} is not in the subnet ${n.Subnet} of network ${n.Name}`);
      if (aliases.length && n.isDefault) throw badRequest('network-scoped alias is supported only for containers in user defined networks');
      n.members[req.containerId] = { containerId: req.containerId, name: req.name, aliases, ipv4, links: req.hostConfig.Links ?? [], primary: true };
      await this.store.save(n);
    });
  }

  private memberNetworks(containerId: string): NetworkRecord[] {
    const nets = [...this.networks.values()].filter((n) => n.members[containerId]);
    const primary = (n: NetworkRecord) => Boolean(n.members[containerId].primary);
    return nets.sort((a, b) => Number(primary(b)) - Number(primary(a)));
  }

  private endpointsOf(containerId: string): Array<{ network: NetworkRecord; ep: LiveEndpoint }> {
    return [...this.networks.values()].flatMap((n) => (n.endpoints[containerId] ? [{ network: n, ep: n.endpoints[containerId] as LiveEndpoint }] : []));
  }

  attach(req: AttachRequest): Promise<{ network: { mode: 'path'; path: string } } | undefined> {
    return this.serial(async () => {
      let nets = this.memberNetworks(req.containerId);
      const mode = req.hostConfig.NetworkMode;
      // disconnected from its last network: it runs with its own namespace and loopback only (Docker)
      if (nets.length === 0 && this.disconnected.has(req.containerId)) return undefined;
      checkHostname(req.hostname);
      if (nets.length === 0 && mode && !isDefaultMode(mode)) {
        // its network was removed while it was stopped (Docker refuses the start the same way)
        throw badRequest(`network ${mode} not found`, [`create it again (docker network create ${mode}) or connect the container to another network`]);
      }
      if (nets.length === 0) {
        // a container created before this engine had networks: it joins the default bridge, as Docker's would
        const def = this.defaultNetwork()!;
        def.members[req.containerId] = { containerId: req.containerId, name: req.name, aliases: [], links: req.hostConfig.Links ?? [], primary: true };
        nets = [def];
      }
      // before anything is created: without a packet filter there is no bridge network (issue 3, VM sandbox)
      const backend = await this.usablePacketFilter();
      // ports first: a port that is taken fails the start before anything is created
      const ports = nets[0].Internal ? [] : await this.resolvePorts(req);
      const netns = await this.driver.createNetns(req.containerId);
      this.trace(req.containerId, 'network.netns', { path: netns });
      try {
        const routeVia = defaultRouteIndex(nets);
        for (const [i, n] of nets.entries()) {
          await this.plugInto(n, n.members[req.containerId], netns, `eth${i}`, i === 0, i === 0 ? ports : [], req, i === routeVia);
        }
        await this.syncKernel(req.containerId, backend);
        await this.writeAllHosts();
        await this.startDns(nets, req);
        for (const n of nets) await this.store.save(n);
      } catch (err) {
        await this.releaseAll(req.containerId).catch(() => undefined);
        throw err;
      }
      return { network: { mode: 'path', path: netns } };
    });
  }

  /**
   * The DNS server of each user network the container is on (the first container starts it); then, as
   * in Docker, its resolv.conf says `nameserver 127.0.0.11`, which its own nat table sends to the server
   * of its primary network (dns-redirect.ts), unless --dns chose other servers.
   */
  private async startDns(nets: NetworkRecord[], req: AttachRequest): Promise<void> {
    const listening: Array<string | undefined> = [];
    for (const n of nets) listening.push(await this.dns?.ensure(n, req.containerId));
    const ep = nets[0].endpoints[req.containerId];
    if (!listening[0] || !ep || !req.resolvConfPath || req.hostConfig.Dns?.length) return;
    const facts = { address: `${EMBEDDED_DNS_ADDRESS}:53`, server: `${listening[0]}:53`, network: nets[0].Name };
    try {
      this.trace(req.containerId, 'network.dns-redirect', { ...facts, rules: await redirectToEngine(ep.netnsPath, ep.ifName, listening[0], ep.ip) });
    } catch (err) {
      // the container still starts: its resolv.conf keeps the host's servers, names work through /etc/hosts
      this.trace(req.containerId, 'network.dns-redirect', { ...facts, error: messageOf(err) });
      return;
    }
    const before = await fs.readFile(req.resolvConfPath, 'utf8');
    await fs.writeFile(req.resolvConfPath, pointAtEmbeddedDns(before, EMBEDDED_DNS_ADDRESS));
  }

  private async resolvePorts(req: AttachRequest): Promise<PortMapping[]> {
    const requests = portRequests(req.hostConfig.PortBindings, req.exposedPorts, req.hostConfig.PublishAllPorts);
    const ours = [...this.networks.values()].flatMap((n) => Object.values(n.endpoints).flatMap((e) => e.ports));
    const out: PortMapping[] = [];
    const taken = (proto: string, hostIp: string, port: number) =>
      [...ours, ...out].some((p) => p.proto === proto && p.hostPort === port && (!p.hostIp || !hostIp || p.hostIp === hostIp));
    for (const r of requests) {
      let hostPort = r.hostPort;
      if (hostPort === 0) {
        const picked = await pickFreePort(r.proto, r.hostIp, (p) => taken(r.proto, r.hostIp, p), this.canBind);
        if (!picked) throw failedPrecondition(`no free host port left for ${r.containerPort}/${r.proto}`);
        hostPort = picked;
      } else if (taken(r.proto, r.hostIp, hostPort) || !(await this.canBind(r.proto, r.hostIp, hostPort))) {
        throw failedPrecondition(
          `driver failed programming external connectivity on endpoint ${req.name}: Bind for ${r.hostIp || '0.0.0.0'}:${hostPort} failed: port is already allocated`,
          { suggestions: [`publish on another host port (-p <other>:${r.containerPort}), or stop what uses ${hostPort} (ss -ltnp)`] },
        );
      }
      out.push({ proto: r.proto, hostIp: r.hostIp, hostPort, containerPort: r.containerPort });
      this.trace(req.containerId, 'network.port', { hostIp: r.hostIp || '0.0.0.0', hostPort, containerPort: r.containerPort, proto: r.proto, picked: r.hostPort === 0 });
    }
    return out;
  }

  /** address from IPAM, veth pair into the bridge, endpoint recorded */
  private async plugInto(n: NetworkRecord, member: Member, netns: string, ifName: string, primary: boolean, ports: PortMapping[], req?: AttachRequest, defaultRoute = primary): Promise<void> {
    const subnet = parseSubnet(n.Subnet);
    if (await this.driver.ensureBridge(n.bridge, n.Gateway, subnet.prefix)) {
      n.bridgeCreated = true;
      this.trace(member.containerId, 'network.bridge', { bridge: n.bridge, gateway: `${n.Gateway}/${subnet.prefix}`, network: n.Name });
    }
    const ip = allocateAddress(subnet, n.Gateway, n.allocations, member.ipv4);
    n.allocations[ip] = member.containerId;
    this.trace(member.containerId, 'network.address', { ip: `${ip}/${subnet.prefix}`, subnet: n.Subnet, network: n.Name, gateway: n.Gateway });
    const vethHost = `veth${randomBytes(4).toString('hex').slice(0, 7)}`;
    const mac = macForIp(ip);
    const ep: LiveEndpoint = {
      endpointId: newId(),
      containerId: member.containerId,
      name: member.name,
      ip,
      mac,
      vethHost,
      ifName,
      netnsPath: netns,
      ports,
      hostsPath: req?.hostsPath,
      hostsBase: req?.hostsBase,
      hostname: req?.hostname,
      primary,
    };
    n.endpoints[member.containerId] = ep;
    await this.driver.plug(netns, { ifName, vethHost, mac, ip, prefix: subnet.prefix, gateway: defaultRoute ? n.Gateway : undefined }, n.bridge);
    this.trace(member.containerId, 'network.veth', { hostSide: vethHost, containerSide: ifName, bridge: n.bridge, mac, network: n.Name });
  }

  private async unplug(n: NetworkRecord, containerId: string): Promise<void> {
    const ep = n.endpoints[containerId];
    if (!ep) return;
    await this.driver.deleteLink(ep.vethHost);
    delete n.allocations[ep.ip];
    delete n.endpoints[containerId];
    this.trace(containerId, 'network.release', { ip: ep.ip, veth: ep.vethHost, network: n.Name, ports: ep.ports.length });
  }

  /** every step is tried even if one before it failed (a failed start must leave nothing); the first error is thrown */
  private async releaseAll(containerId: string): Promise<void> {
    let first: unknown;
    const attempt = (p: Promise<unknown>) => p.catch((err: unknown) => void (first ??= err));
    const mine = [...this.networks.values()].filter((n) => n.endpoints[containerId] || Object.values(n.allocations).includes(containerId));
    for (const n of mine) {
      await attempt(this.unplug(n, containerId));
      for (const [ip, owner] of Object.entries(n.allocations)) if (owner === containerId) delete n.allocations[ip];
      await attempt(this.store.save(n));
    }
    await attempt(this.driver.removeNetns(this.driver.netnsPath(containerId)));
    if (mine.length) {
      await attempt(this.syncKernel());
      await attempt(this.writeAllHosts());
    }
    if (first !== undefined) throw first;
  }

  detach(containerId: string): Promise<void> {
    return this.serial(() => this.releaseAll(containerId));
  }

  forget(containerId: string): Promise<void> {
    return this.serial(async () => {
      await this.releaseAll(containerId);
      await this.markDisconnected(containerId, false);
      for (const n of this.networks.values()) {
        if (!n.members[containerId]) continue;
        delete n.members[containerId];
        await this.store.save(n);
      }
    });
  }

  private async markDisconnected(containerId: string, disconnected: boolean): Promise<void> {
    if (this.disconnected.has(containerId) === disconnected) return;
    if (disconnected) this.disconnected.add(containerId);
    else this.disconnected.delete(containerId);
    await this.store.saveDisconnected(this.disconnected);
  }

  view(containerId: string, exposedPorts: ContainerConfig['ExposedPorts']): NetworkView | undefined {
    const nets = [...this.networks.values()].filter((n) => n.members[containerId] || n.endpoints[containerId]);
    if (nets.length === 0) return undefined;
    return containerNetworkView(containerId, nets, exposedPorts);
  }

  // ------------------------------------------------------------------ rules, names, reconciliation

  private desiredRules(): Rule[] {
    const networks = [...this.networks.values()].map((n) => ({
      name: n.Name,
      bridge: n.bridge,
      subnet: n.Subnet,
      internal: n.Internal,
      icc: n.icc,
      endpoints: Object.values(n.endpoints),
    }));
    return buildRules(this.chains, networks);
  }

  /**
   * The kernel follows the records: with containers attached, the rule set is written; with none, boxlab's
   * chains and the default bridge go, so an idle engine (or one that is stopped) leaves the host as it was.
   */
  private async syncKernel(containerId?: string, backend?: string): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.endpointsOfAll().length > 0) return this.applyRules(containerId, backend);
    // a `docker run --rm` right after another should not pay for a new bridge and chains: wait a moment
    this.idleTimer = setTimeout(() => void this.serial(() => this.teardownIfIdle()).catch(() => undefined), IDLE_TEARDOWN_MS);
    this.idleTimer.unref();
  }

  private async teardownIfIdle(): Promise<void> {
    this.idleTimer = undefined;
    if (this.endpointsOfAll().length > 0) return;
    // an unusable packet filter holds no rules of ours to remove; the bridge goes all the same
    if (this.rulesMayExist) await this.iptables.teardown().then(() => (this.rulesMayExist = false), (err) => void this.packetFilterFailed(err));
    const def = this.defaultNetwork();
    if (def && (await this.driver.linkExists(def.bridge))) await this.deleteOwnBridge(def);
  }

  /** writes the whole rule set; the rules that concern `containerId` go into its trace */
  private async applyRules(containerId?: string, backend?: string): Promise<void> {
    const rules = this.desiredRules();
    this.rulesMayExist = true;
    try {
      await this.iptables.apply(rules);
    } catch (err) {
      throw this.packetFilterFailed(err);
    }
    if (!containerId) return;
    const mine = new Set(this.endpointsOf(containerId).map((e) => e.network.Name));
    for (const r of rules) {
      if (r.purpose === 'jump' || (r.containerId && r.containerId !== containerId) || (!r.containerId && !mine.has(r.network ?? ''))) continue;
      this.trace(containerId, 'network.rule', { purpose: r.purpose, table: r.table, rule: `iptables -t ${r.table} ${ruleLine('-A', r)}`, network: r.network, backend });
    }
  }

  /** every running container's /etc/hosts, with the names it can reach (written in place: it is bind-mounted) */
  private async writeAllHosts(): Promise<void> {
    const all = [...this.networks.values()].flatMap((n) => Object.values(n.endpoints).map((ep) => ({ n, ep: ep as LiveEndpoint })));
    const holders = new Map<string, LiveEndpoint>();
    for (const { ep } of all) if (ep.hostsPath && (!holders.has(ep.containerId) || ep.primary)) holders.set(ep.containerId, ep);
    for (const [containerId, self] of holders) {
      const peers: HostsPeer[] = [];
      for (const { n, ep } of all) {
        if (ep.containerId === containerId || n.isDefault || !n.endpoints[containerId]) continue;
        const m = n.members[ep.containerId];
        peers.push({ ip: ep.ip, names: [ep.name, ...(m?.aliases ?? []), ep.containerId.slice(0, 12)] });
      }
      const links = this.memberNetworks(containerId).flatMap((n) => n.members[containerId]?.links ?? []);
      for (const link of links) {
        const { target, alias } = parseLink(link);
        const found = all.find(({ ep }) => ep.name === target);
        if (found) peers.push({ ip: found.ep.ip, names: [alias, found.ep.containerId.slice(0, 12), target] });
      }
      const text = (self.hostsBase ?? '') + hostsSection({ ip: self.ip, hostname: self.hostname ?? containerId.slice(0, 12) }, peers);
      const before = await fs.readFile(self.hostsPath!, 'utf8').catch(() => undefined);
      if (before === undefined || before === text) continue;
      await fs.writeFile(self.hostsPath!, text);
      if (peers.length) this.trace(containerId, 'network.hosts', { path: self.hostsPath, names: peers.map((p) => `${p.names[0]}=${p.ip}`) });
    }
  }

  /**
   * After a start (or a crash): endpoints of containers that no longer run are removed (veth, address,
   * netns), members of containers that are gone are dropped, bridges are there, and the rules are
   * rebuilt from what runs now.
   */
  reconcile(running: Set<string>, known: Set<string>): Promise<string[]> {
    return this.serial(async () => {
      const warnings: string[] = [];
      for (const n of this.networks.values()) {
        for (const id of Object.keys(n.endpoints)) if (!running.has(id)) await this.unplug(n, id);
        for (const [ip, owner] of Object.entries(n.allocations)) if (!n.endpoints[owner]) delete n.allocations[ip];
        for (const id of Object.keys(n.members)) if (!known.has(id)) delete n.members[id];
        // user networks keep their bridge (as `docker network create` made it); the default one comes with its first container
        if (!n.isDefault || Object.keys(n.endpoints).length > 0) {
          if (await this.driver.ensureBridge(n.bridge, n.Gateway, parseSubnet(n.Subnet).prefix).catch(() => false)) n.bridgeCreated = true;
        }
        await this.store.save(n);
      }
      const inUse = new Set(this.endpointsOfAll().map((e) => e.netnsPath));
      for (const file of await this.driver.listNetnsFiles()) if (!inUse.has(file)) await this.driver.removeNetns(file);
      // an unusable packet filter must not stop the engine: bridge containers then fail to start with this error
      try {
        await this.usablePacketFilter();
        await this.syncKernel();
      } catch (err) {
        warnings.push(`${messageOf(err)} (containers on bridge networks cannot start until this is fixed)`);
      }
      await this.writeAllHosts().catch(() => undefined);
      // containers that kept running while the engine was down find their DNS server back
      for (const n of this.networks.values()) if (Object.keys(n.endpoints).length > 0) await this.dns?.ensure(n, Object.keys(n.endpoints)[0]);
      return warnings;
    });
  }

  /**
   * The backend (nft or legacy), once the kernel's packet filter has answered. Read once at start-up
   * (reconcile) and again only after it failed, so that `modprobe` fixes it without an engine restart.
   */
  private async usablePacketFilter(): Promise<string> {
    try {
      const backend = await this.iptables.detectBackend();
      if (this.filterProblem || !this.filterChecked) await this.iptables.probe();
      this.filterChecked = true;
      this.filterProblem = undefined;
      return backend;
    } catch (err) {
      throw this.packetFilterFailed(err);
    }
  }

  /** a failure of iptables, as the clear error the user sees (remembered: the next attach checks again) */
  private packetFilterFailed(err: unknown): AppError {
    const problem = isAppError(err) && err.message.startsWith('cannot set up the bridge network') ? err : packetFilterUnusable(err);
    this.filterProblem = problem;
    return problem;
  }

  private endpointsOfAll(): Endpoint[] {
    return [...this.networks.values()].flatMap((n) => Object.values(n.endpoints));
  }

  /** engine stop: with no container on any network, boxlab leaves nothing in the kernel (bridges, rules) */
  shutdown(): Promise<void> {
    return this.serial(async () => {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      // the sockets go with the engine; reconcile opens them again at the next start
      await this.dns?.stopAll();
      if (this.endpointsOfAll().length > 0) return;
      let failure: unknown;
      try {
        await this.iptables.teardown();
        this.rulesMayExist = false;
      } catch (err) {
        failure = err;
      }
      // user networks' bridges come back at the next start (reconcile); they go even if iptables failed
      for (const n of this.networks.values()) if (await this.driver.linkExists(n.bridge)) await this.deleteOwnBridge(n);
      if (failure) throw failedPrecondition(`could not remove boxlab's iptables chains: ${messageOf(failure)}`, { suggestions: ['look with: iptables-save | grep BOXLAB'] });
    });
  }
}
