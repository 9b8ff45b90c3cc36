// The lab network of multipass VMs, by name: Multipass puts every instance on its own default network
// (a NAT bridge, addresses from its DHCP) but no name service between them, so boxlab writes each VM's
// peers into its /etc/hosts, as the QEMU lab network does. The lines sit in a marked block that boxlab
// replaces on every join (a second `vm create` or a new address), never appended twice. Pure text.
import { AppError } from '../../../core/errors.js';

export const HOSTS_BEGIN = '# boxlab lab network BEGIN (written by boxlab vm create, replaced on the next join)';
export const HOSTS_END = '# boxlab lab network END';

/** "10.76.13.5   n1" lines for each peer, sorted by name so the block is stable */
export function renderHostsBlock(network: string, peers: Record<string, string>): string {
  const lines = Object.keys(peers)
    .sort()
    .map((name) => {
      const address = peers[name]!;
      if (!/^[0-9a-f.:]+$/i.test(address) || !/^[a-z0-9][a-z0-9-]*$/i.test(name)) {
        throw new AppError('INVALID_ARGUMENT', `lab network "${network}": cannot write "${address} ${name}" into /etc/hosts`, {
          suggestions: ['check the address with: multipass info ' + name],
        });
      }
      return `${address.padEnd(15)} ${name}`;
    });
  return [HOSTS_BEGIN, `# network ${network}`, ...lines, HOSTS_END].join('\n') + '\n';
}

/** hosts with its boxlab block (if any) replaced by block, or block appended at the end */
export function replaceHostsBlock(hosts: string, block: string): string {
  const lines = hosts.split('\n');
  const begin = lines.indexOf(HOSTS_BEGIN);
  const end = begin < 0 ? -1 : lines.indexOf(HOSTS_END, begin);
  let kept: string[];
  if (begin >= 0 && end >= 0) kept = [...lines.slice(0, begin), ...lines.slice(end + 1)];
  else kept = lines;
  let text = kept.join('\n');
  if (text.length > 0 && !text.endsWith('\n')) text += '\n';
  return text + block;
}
