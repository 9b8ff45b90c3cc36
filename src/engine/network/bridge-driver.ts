// The bridge driver's contact with the kernel: bridges, network namespace files, veth pairs, sysctls.
// A container's netns is created by `unshare --net=<file>`, which bind-mounts the new namespace on a file
// under <root>/netns/<container id>, so it lives before runc starts and runc can join it by path
// (linux.namespaces[type=network].path), as `ip netns add` does under /run/netns. unshare then runs a
// program inside the new namespace: the `ip -batch -` that makes the first eth0 there, so a container's
// namespace and its first veth cost one process (a later network's veth enters it with nsenter).
// Processes are what a container start waits for most (issue 19, docs/adr/0019).
// As dockerd's bridge driver, it creates a bridge only where no interface has the name, uses a bridge that
// is there already (the network plane remembers it did not create it, and leaves it on rm), and refuses an
// interface that is not a bridge: "existing interface eth0 is not a bridge".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { adoptBridgeCommands, bridgeCommands, hostSideCommands, sandboxCommands, type SandboxLink } from './link-commands.js';
import { assertOneWord, BRIDGE_NAME_OPTION } from './network-names.js';

const ipBatch = (lines: string[], prefix: string[] = []) =>
  run(prefix.length ? prefix[0] : 'ip', [...prefix.slice(1), ...(prefix.length ? ['ip'] : []), '-batch', '-'], { input: lines.join('\n') + '\n' });

export class BridgeDriver {
  /** netns files made by createNetns whose namespace the next plug creates (unshare instead of nsenter) */
  private readonly unborn = new Set<string>();

  constructor(private readonly netnsDir: string, private readonly sysctlRoot = '/proc/sys') {}

  async linkExists(name: string): Promise<boolean> {
    return fs.stat(path.join('/sys/class/net', name)).then(() => true, () => false);
  }

  /** a bridge has a bridge/ folder in sysfs (the kernel's bridge attributes) */
  async isBridge(name: string): Promise<boolean> {
    return fs.stat(path.join('/sys/class/net', name, 'bridge')).then(() => true, () => false);
  }

  /**
   * Creates the bridge if no interface has its name (true: created now). An existing bridge is left as it
   * is (adoptBridge gives it the gateway address); any other interface is refused.
   */
  async ensureBridge(bridge: string, gateway: string, prefix: number): Promise<boolean> {
    if (await this.linkExists(assertOneWord(bridge, 'bridge name'))) {
      if (await this.isBridge(bridge)) return false;
      throw invalidArgument(`existing interface ${bridge} is not a bridge`, { suggestions: [`name a bridge, or a name no interface has, in -o ${BRIDGE_NAME_OPTION}=<name> (ip -br link lists them)`] });
    }
    await ipBatch(bridgeCommands(bridge, gateway, prefix));
    await this.bridgeSysctls(bridge);
    return true;
  }

  private async bridgeSysctls(bridge: string): Promise<void> {
    // lets DNAT send packets from 127.0.0.1 to the bridge (published ports reached via localhost)
    await this.sysctl(`net/ipv4/conf/${bridge}/route_localnet`, '1');
    // a bridge forwards between namespaces only when the host routes: Docker turns this on too
    await this.sysctl('net/ipv4/ip_forward', '1');
  }

  /** an existing bridge a new network uses: the gateway address on it, and up (as dockerd does) */
  async adoptBridge(bridge: string, gateway: string, prefix: number): Promise<void> {
    await ipBatch(adoptBridgeCommands(bridge, gateway, prefix));
    await this.bridgeSysctls(bridge);
  }

  async deleteLink(name: string): Promise<void> {
    await run('ip', ['link', 'del', 'dev', name], { allowFailure: true });
  }

  /** removes a bridge, and nothing else: an interface that is not a bridge was never the engine's */
  async deleteBridge(name: string): Promise<void> {
    if (await this.isBridge(name)) await this.deleteLink(name);
  }

  netnsPath(containerId: string): string {
    return path.join(this.netnsDir, containerId);
  }

  /**
   * a new network namespace, to be held by a bind mount on <netnsDir>/<id>: the file is made now, the
   * namespace by the first plug into it (`unshare --net=<file> ip -batch -`, one process for both)
   */
  async createNetns(containerId: string): Promise<string> {
    const file = this.netnsPath(containerId);
    await fs.mkdir(this.netnsDir, { recursive: true });
    await fs.writeFile(file, '');
    this.unborn.add(file);
    return file;
  }

  async removeNetns(file: string): Promise<void> {
    this.unborn.delete(file);
    // a container without a netns of ours (--network none, host, container:) has nothing to unmount: no spawn
    if (!(await fs.stat(file).then(() => true, () => false))) return;
    await run('umount', [file], { allowFailure: true });
    await fs.rm(file, { force: true });
  }

  async listNetnsFiles(): Promise<string[]> {
    return (await fs.readdir(this.netnsDir).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).map((n) => path.join(this.netnsDir, n));
  }

  /**
   * the veth pair: one end inside the netns with its address and route, the other on the bridge. The
   * sandbox side runs in the namespace: unshare creates it (createNetns's file), or nsenter enters it
   */
  async plug(netnsFile: string, link: SandboxLink, bridge: string): Promise<void> {
    const enter = this.unborn.delete(netnsFile) ? ['unshare', `--net=${netnsFile}`] : ['nsenter', `--net=${netnsFile}`];
    await ipBatch(sandboxCommands(link, process.pid), enter);
    await ipBatch(hostSideCommands(link.vethHost, bridge));
  }

  private async sysctl(key: string, value: string): Promise<void> {
    const file = path.join(this.sysctlRoot, key);
    const now = await fs.readFile(file, 'utf8').catch(() => '');
    if (now.trim() !== value) await fs.writeFile(file, value);
  }
}
