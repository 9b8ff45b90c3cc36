// The engine-wide defaults a new container gets, as dockerd applies its configuration at create
// (daemon/logs.go mergeAndVerifyLogConfig, daemon_unix.go mergeUlimits): the log driver when the request
// names none, and its options under the request's own when the driver is the engine's; each default
// ulimit the request does not set. `docker inspect` then shows them in HostConfig, as with dockerd. Pure.
// The engine's dns settings are not written into HostConfig: they are read at each start (etc-files.ts).
import type { HostConfig } from '../docker-model.js';

export interface ContainerDefaults {
  /** daemon.json's log-driver and log-opts */
  logConfig?: { Type: string; Config: Record<string, string> };
  /** daemon.json's default-ulimits */
  ulimits?: Array<{ Name: string; Soft: number; Hard: number }>;
  /** daemon.json's dns, dns-search and dns-opts: read when resolv.conf is written (etc-files.ts), not
   *  copied into HostConfig (dockerd's inspect shows "Dns": [] for them too) */
  dns?: EngineDns;
}

/** the engine's resolv.conf defaults; each list applies where the container's own (--dns, ...) is empty */
export interface EngineDns {
  servers: string[];
  search: string[];
  options: string[];
}

export function applyContainerDefaults(h: HostConfig, defaults: ContainerDefaults = {}): HostConfig {
  let out = h;
  const engineLog = defaults.logConfig;
  if (engineLog) {
    const type = h.LogConfig?.Type || engineLog.Type;
    const own = h.LogConfig?.Config ?? {};
    const config = type === engineLog.Type ? { ...engineLog.Config, ...own } : own;
    out = { ...out, LogConfig: { Type: type, Config: config } };
  }
  const extra = (defaults.ulimits ?? []).filter((d) => !(h.Ulimits ?? []).some((u) => u.Name === d.Name));
  if (extra.length > 0) out = { ...out, Ulimits: [...(h.Ulimits ?? []), ...extra.map((u) => ({ ...u }))] };
  return out;
}
