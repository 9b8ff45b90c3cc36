// The default `bridge` network's Linux bridge and subnet. The engine at /var/lib/boxlab uses boxlab0 and
// 172.17.0.0/16 (as dockerd uses docker0). An engine with another root (tests, several engines on one host)
// gets its own bridge name and a /24 under 10.x derived from the root, so that engines never share a
// bridge or iptables chains; `boxlab engine start --bridge-name --bridge-subnet` chooses explicitly, and
// dockerd's `bip` ("192.168.200.1/24": the bridge's own address) gives the subnet and the gateway.
import { createHash } from 'node:crypto';
import { DEFAULT_ENGINE_ROOT } from '../../core/paths.js';

export interface DefaultBridge {
  bridge: string;
  subnet: string;
  /** the bridge's address, the containers' gateway (default: the subnet's first address) */
  gateway?: string;
  /** prefix of the engine's iptables chains (BOXLAB-DNAT, ...) */
  chainPrefix: string;
}

export function defaultBridge(root: string, options: { bridgeName?: string; bridgeSubnet?: string; bridgeGateway?: string } = {}): DefaultBridge {
  const isDefaultRoot = root === DEFAULT_ENGINE_ROOT;
  const hash = createHash('sha256').update(root).digest();
  const tag = hash.subarray(0, 3).toString('hex');
  const bridge = options.bridgeName ?? (isDefaultRoot ? 'boxlab0' : `bxl${tag}`);
  const subnet = options.bridgeSubnet ?? (isDefaultRoot ? '172.17.0.0/16' : `10.${200 + (hash[3] % 50)}.${hash[4]}.0/24`);
  // chain names may have 28 characters: BOXLAB-<6 hex>-POSTROUTING is 25
  const own = createHash('sha256').update(`${root}\0${bridge}`).digest('hex').slice(0, 6);
  const chainPrefix = isDefaultRoot && !options.bridgeName ? 'BOXLAB' : `BOXLAB-${own}`;
  return { bridge, subnet, chainPrefix, ...(options.bridgeGateway ? { gateway: options.bridgeGateway } : {}) };
}

/** Docker's pool for user networks without --subnet: 172.18.0.0/16 ... 172.31.0.0/16, then 192.168.x.0/20 */
export function* subnetPool(): Generator<string> {
  for (let b = 18; b <= 31; b++) yield `172.${b}.0.0/16`;
  for (let c = 0; c < 256; c += 16) yield `192.168.${c}.0/20`;
}
