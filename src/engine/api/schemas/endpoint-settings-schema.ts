// network.EndpointSettings as dockerd decodes it: the per-network part of `docker run --network` /
// `--network-alias` / `--ip` and of `docker network connect`. Shared by container create and connect.
import { list, string, struct, type Decoder } from './go-json.js';

export interface EndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  Links?: string[];
  Aliases?: string[];
  NetworkID?: string;
  MacAddress?: string;
}

const strings = list(string, '[]string');

export const endpointSettings: Decoder<EndpointSettings | undefined> = struct<EndpointSettings>('EndpointSettings', 'network.EndpointSettings', {
  IPAMConfig: struct('EndpointIPAMConfig', 'network.EndpointIPAMConfig', { IPv4Address: string, IPv6Address: string, LinkLocalIPs: strings }),
  Links: strings,
  Aliases: strings,
  NetworkID: string,
  MacAddress: string,
});
