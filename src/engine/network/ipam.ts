// IPAM (IP address management) for one network: Docker's default IPAM driver hands out the subnet's
// addresses in order, skipping the network address, the gateway and the broadcast address. The book of
// handed-out addresses is part of the network record, so an address is never given twice, also across
// restarts of boxlabd.
import { conflict } from './network-errors.js';
import { contains, intToIp, ipToInt, subnetSize, type Subnet } from './ipv4.js';

export function allocateAddress(subnet: Subnet, gateway: string, allocations: Record<string, string>, requested?: string): string {
  if (requested) {
    if (!contains(subnet, requested)) throw conflict(`address ${requested} is not in the network's subnet ${subnet.cidr}`, ['pick an address inside the subnet (docker network inspect shows it)']);
    if (requested === gateway || allocations[requested]) throw conflict(`address ${requested} is already in use on this network`, ['pick another --ip or leave it out']);
    return requested;
  }
  const first = subnet.base + 1;
  const last = subnet.base + subnetSize(subnet) - 2;
  const gw = ipToInt(gateway);
  for (let n = first; n <= last; n++) {
    if (n === gw) continue;
    const ip = intToIp(n);
    if (!allocations[ip]) return ip;
  }
  throw conflict(`no free address left in subnet ${subnet.cidr}`, ['remove containers from the network, or create one with a larger --subnet']);
}
