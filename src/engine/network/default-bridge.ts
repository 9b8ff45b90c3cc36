// The default `bridge` network's Linux bridge and subnet. The engine at /var/lib/boxlab uses boxlab0 and
// 172.17.0.0/16 (as dockerd uses docker0). An engine with another root (tests, several engines on one host)
// gets its own bridge name and a /24 under 10.x derived from the root, so that engines never share a
// bridge or iptables chains; `boxlab engine start --bridge-name --bridge-subnet` chooses explicitly, and
// dockerd's `bip` ("192.168.200.1/24": the bridge's own address) gives the subnet and the gateway; its
// `mtu`, `ip` and `icc` become the network's options (network-recovery.ts), as docker0's.
import { createHash } from 'node:crypto';
import { DEFAULT_ENGINE_ROOT } from '../../core/paths.js';

export interface DefaultBridge {
  bridge: string;
  subnet: string;
  /** the bridge's address, the containers' gateway (default: the subnet's first address) */
  gateway?: string;
  /** prefix of the engine's iptables chains (BOXLAB-DNAT, ...) */
  chainPrefix: string;
  /** dockerd's mtu: its containers' eth0 (default 1500) */
  mtu?: number;
  /** dockerd's ip: the host address -p publishes on when it names none (default 0.0.0.0: all of them) */
  hostBindingIp?: string;
  /** dockerd's icc: false drops traffic between its containers (default true) */
  icc?: boolean;
}

/** the engine's settings for it: boxlab's --bridge-name/--bridge-subnet, dockerd's bip (the gateway), mtu, ip and icc */
export interface DefaultBridgeOptions {
  bridgeName?: string;
  bridgeSubnet?: string;
  bridgeGateway?: string;
  bridgeMtu?: number;
  bridgeHostBindingIp?: string;
  bridgeIcc?: boolean;
}

export function defaultBridge(root: string, options: DefaultBridgeOptions = {}): DefaultBridge {
  const isDefaultRoot = root === DEFAULT_ENGINE_ROOT;
  const hash = createHash('sha256').update(root).digest();
  const tag = hash.subarray(0, 3).toString('hex');
  const bridge = options.bridgeName ?? (isDefaultRoot ? 'boxlab0' : `bxl${tag}`);
  const subnet = options.bridgeSubnet ?? (isDefaultRoot ? '172.17.0.0/16' : `10.${200 + (hash[3] % 50)}.${hash[4]}.0/24`);
  // chain names may have 28 characters: BOXLAB-<6 hex>-POSTROUTING is 25
  const own = createHash('sha256').update(`${root}\0${bridge}`).digest('hex').slice(0, 6);
  const chainPrefix = isDefaultRoot && !options.bridgeName ? 'BOXLAB' : `BOXLAB-${own}`;
  const settings = {
    ...(options.bridgeMtu !== undefined ? { mtu: options.bridgeMtu } : {}),
    ...(options.bridgeHostBindingIp !== undefined ? { hostBindingIp: options.bridgeHostBindingIp } : {}),
    ...(options.bridgeIcc !== undefined ? { icc: options.bridgeIcc } : {}),
  };
  return { bridge, subnet, chainPrefix, ...(options.bridgeGateway ? { gateway: options.bridgeGateway } : {}), ...settings };
}

/** Docker's pool for user networks without --subnet: 172.18.0.0/16 ... 172.31.0.0/16, then 192.168.x.0/20 */
export function* subnetPool(): Generator<string> {
  for (let b = 18; b <= 31; b++) yield `172.${b}.0.0/16`;
  for (let c = 0; c < 256; c += 16) yield `192.168.${c}.0/20`;
}
