// The bridge driver's contact with the kernel: bridges, network namespace files, veth pairs, sysctls.
// A container's netns is created by `unshare --net=<file>`, which bind-mounts the new namespace on a file
// under <root>/netns/<container id>, so it lives before runc starts and runc can join it by path
// (linux.namespaces[type=network].path), as `ip netns add` does under /run/netns.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../core/exec.js';
import { bridgeCommands, hostSideCommands, sandboxCommands, type SandboxLink } from './link-commands.js';

const ipBatch = (lines: string[], prefix: string[] = []) =>
  run(prefix.length ? prefix[0] : 'ip', [...prefix.slice(1), ...(prefix.length ? ['ip'] : []), '-batch', '-'], { input: lines.join('\n') + '\n' });

export class BridgeDriver {
  constructor(private readonly netnsDir: string, private readonly sysctlRoot = '/proc/sys') {}

  async linkExists(name: string): Promise<boolean> {
    return fs.stat(path.join('/sys/class/net', name)).then(() => true, () => false);
  }

  /** creates the bridge if it is not there; true when it was created now */
  async ensureBridge(bridge: string, gateway: string, prefix: number): Promise<boolean> {
    if (await this.linkExists(bridge)) return false;
    await ipBatch(bridgeCommands(bridge, gateway, prefix));
    // lets DNAT send packets from 127.0.0.1 to the bridge (published ports reached via localhost)
    await this.sysctl(`net/ipv4/conf/${bridge}/route_localnet`, '1');
    // a bridge forwards between namespaces only when the host routes: Docker turns this on too
    await this.sysctl('net/ipv4/ip_forward', '1');
    return true;
  }

  async deleteLink(name: string): Promise<void> {
    await run('ip', ['link', 'del', name], { allowFailure: true });
  }

  netnsPath(containerId: string): string {
    return path.join(this.netnsDir, containerId);
  }

  /** a new network namespace held by a bind mount on <netnsDir>/<id> */
  async createNetns(containerId: string): Promise<string> {
    const file = this.netnsPath(containerId);
    await fs.mkdir(this.netnsDir, { recursive: true });
    await fs.writeFile(file, '');
    await run('unshare', [`--net=${file}`, 'true']);
    return file;
  }

  async removeNetns(file: string): Promise<void> {
    // a container without a netns of ours (--network none, host, container:) has nothing to unmount: no spawn
    if (!(await fs.stat(file).then(() => true, () => false))) return;
    await run('umount', [file], { allowFailure: true });
    await fs.rm(file, { force: true });
  }

  async listNetnsFiles(): Promise<string[]> {
    return (await fs.readdir(this.netnsDir).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).map((n) => path.join(this.netnsDir, n));
  }

  /** the veth pair: one end inside the netns with its address and route, the other on the bridge */
  async plug(netnsFile: string, link: SandboxLink, bridge: string): Promise<void> {
    await ipBatch(sandboxCommands(link, process.pid), ['nsenter', `--net=${netnsFile}`]);
    await ipBatch(hostSideCommands(link.vethHost, bridge));
  }

  private async sysctl(key: string, value: string): Promise<void> {
    const file = path.join(this.sysctlRoot, key);
    const now = await fs.readFile(file, 'utf8').catch(() => '');
    if (now.trim() !== value) await fs.writeFile(file, value);
  }
}
