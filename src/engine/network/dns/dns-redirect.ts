// Docker's address for its embedded DNS, 127.0.0.11, inside each container on a user network. Docker's
// daemon opens a socket inside the container's network namespace; boxlabd cannot (Node has no setns),
// so the container's own nat table sends 127.0.0.11:53 to the engine's server on the network's gateway
// (ADR 0009): a DNAT in OUTPUT, a SNAT to the container's address in POSTROUTING (a 127.0.0.1 source
// cannot leave on eth0, and the server tells clients apart by address), and route_localnet on eth0
// (without it the kernel refuses to route a loopback-sourced packet out of eth0 after the DNAT).
// The rules live in the container's netns: they go with it, nothing to clean up on the host.
import { run } from '../../../core/exec.js';

export const EMBEDDED_DNS_ADDRESS = '127.0.0.11';

/**
 * The iptables rules (`iptables -t nat` arguments) that send 127.0.0.11:53 to `gateway`:53. UDP only: the
 * server never truncates an answer, so resolvers have no reason to retry over TCP.
 */
export function redirectRules(gateway: string, containerIp: string): string[] {
  return [
    `-A OUTPUT -d ${EMBEDDED_DNS_ADDRESS}/32 -p udp -m udp --dport 53 -j DNAT --to-destination ${gateway}:53`,
    `-A POSTROUTING -s 127.0.0.0/8 -d ${gateway}/32 -p udp -m udp --dport 53 -j SNAT --to-source ${containerIp}`,
  ];
}

/** iptables-restore's input for the container's nat table */
export function redirectRestoreInput(gateway: string, containerIp: string): string {
  return ['*nat', ...redirectRules(gateway, containerIp), 'COMMIT', ''].join('\n');
}

/** writes the rules and the sysctl inside the container's netns (two short nsenter processes) */
export async function redirectToEngine(netnsPath: string, ifName: string, gateway: string, containerIp: string): Promise<string[]> {
  await run('nsenter', [`--net=${netnsPath}`, 'sysctl', '-q', '-w', `net.ipv4.conf.${ifName}.route_localnet=1`]);
  await run('nsenter', [`--net=${netnsPath}`, 'iptables-restore', '--noflush'], { input: redirectRestoreInput(gateway, containerIp) });
  return redirectRules(gateway, containerIp).map((r) => `iptables -t nat ${r}`);
}
