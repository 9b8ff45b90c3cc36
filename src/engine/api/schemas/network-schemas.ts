// The bodies of POST /networks/create, /networks/{id}/connect and /networks/{id}/disconnect, decoded
// into typed values with dockerd's words for a value of the wrong JSON type. Only types are checked here:
// the names that reach ip and iptables are the network plane's to check (src/engine/network/).
import type { CreateNetworkRequest } from '../../network/network-create.js';
import { endpointSettings, type EndpointSettings } from './endpoint-settings-schema.js';
import { bool, decodeBody, list, map, string, struct } from './go-json.js';

const stringMap = map(string, 'map[string]string');

const createRequest = struct<CreateNetworkRequest & { CheckDuplicate?: boolean; Attachable?: boolean }>('NetworkCreateRequest', 'types.NetworkCreateRequest', {
  Name: string,
  CheckDuplicate: bool,
  Driver: string,
  Internal: bool,
  Attachable: bool,
  EnableIPv6: bool,
  IPAM: struct('IPAM', 'network.IPAM', {
    Driver: string,
    Config: list(struct('IPAMConfig', 'network.IPAMConfig', { Subnet: string, Gateway: string, IPRange: string }), '[]network.IPAMConfig'),
  }),
  Options: stringMap,
  Labels: stringMap,
});

export function parseNetworkCreate(json: unknown): CreateNetworkRequest {
  return decodeBody(json, createRequest, 'types.NetworkCreateRequest') ?? {};
}

export interface NetworkConnectBody {
  Container?: string;
  EndpointConfig?: EndpointSettings;
}

export function parseNetworkConnect(json: unknown): NetworkConnectBody {
  const connect = struct<NetworkConnectBody>('NetworkConnect', 'types.NetworkConnect', { Container: string, EndpointConfig: endpointSettings });
  return decodeBody(json, connect, 'types.NetworkConnect') ?? {};
}

export function parseNetworkDisconnect(json: unknown): { Container?: string; Force?: boolean } {
  const disconnect = struct<{ Container?: string; Force?: boolean }>('NetworkDisconnect', 'types.NetworkDisconnect', { Container: string, Force: bool });
  return decodeBody(json, disconnect, 'types.NetworkDisconnect') ?? {};
}
