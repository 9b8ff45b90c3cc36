// What `docker create` checks before anything is written: the name, and the host config values Docker
// refuses, with Docker's words. (The command line and env merge is oci-spec/resolve-process.ts.) Pure.
import { isIP } from 'node:net';
import { invalidArgument } from '../../core/errors.js';
import { CONTAINER_NAME_PATTERN } from '../../core/ids.js';
import type { ContainerCreateBody, HostConfig } from '../docker-model.js';
import { checkHealthcheck } from './healthcheck-config.js';
import { checkLogConfig } from './log-config.js';

export function validateName(name: string): string {
  if (!CONTAINER_NAME_PATTERN.test(name))
    throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return name.startsWith('/') ? name : `/${name}`;
}

/** the errors and warnings Docker gives for a create request (before any file is written) */
export function checkCreate(body: ContainerCreateBody, args: string[]): { warnings: string[] } {
  const h: HostConfig = body.HostConfig ?? {};
  const warnings: string[] = [];
  if (args.length === 0) throw invalidArgument('No command specified', { suggestions: ['give a command after the image name, e.g. docker run busybox echo hi'] });
  // resource limits (-m, --memory-swap, --cpus, ...) were checked when the body was parsed: oci-spec/resource-checks.ts
  const policy = h.RestartPolicy?.Name ?? '';
  if (h.AutoRemove && policy !== '' && policy !== 'no') throw invalidArgument('conflicting options: cannot specify both --restart and --rm');
  if (policy !== 'on-failure' && (h.RestartPolicy?.MaximumRetryCount ?? 0) > 0)
    throw invalidArgument(`maximum retry count cannot be used with restart policy '${policy}'`);
  if ((h.RestartPolicy?.MaximumRetryCount ?? 0) < 0) throw invalidArgument('maximum retry count cannot be negative');
  checkHealthcheck(body.Healthcheck); // --health-interval 500us and the like: dockerd's words
  for (const entry of h.ExtraHosts ?? []) checkExtraHost(entry);
  checkPortBindingIps(h.PortBindings);
  checkLogConfig(h); // --log-driver and --log-opt names; the values are read at start, as dockerd does
  // network modes, user networks and published ports: the network plane (src/engine/network) checks them
  return { warnings };
}

/** a line's worth of /etc/hosts: no control character (a line break, a tab) may end the line or start another */
const HOST_NAME = /^[^\x00-\x1f\x7f]+$/;

/**
 * --add-host "name:ip" as dockerd's ValidateExtraHost reads it (split at the first ':', "host-gateway"
 * allowed), with Docker's messages. dockerd lets a name with a newline through; boxlab refuses it, since
 * each entry becomes a line of the container's /etc/hosts.
 */
export function checkExtraHost(entry: string): void {
  const i = entry.indexOf(':');
  if (i <= 0) throw invalidArgument(`bad format for add-host: ${JSON.stringify(entry)}`, { suggestions: ['write it as name:ip, e.g. --add-host db:10.0.0.5'] });
  const name = entry.slice(0, i);
  const ip = entry.slice(i + 1);
  if (!HOST_NAME.test(name)) throw invalidArgument(`invalid host name in add-host: ${JSON.stringify(name)}`, { suggestions: ['a host name has no tabs or line breaks'] });
  if (ip !== 'host-gateway' && isIP(ip) === 0) throw invalidArgument(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
}

/** -p's host address must be an IP address (or empty: every address); the docker CLI says "invalid IP address" */
function checkPortBindingIps(bindings: HostConfig['PortBindings']): void {
  for (const [port, list] of Object.entries(bindings ?? {})) {
    for (const b of list ?? []) {
      if (b.HostIp && isIP(b.HostIp) === 0) {
        throw invalidArgument(`invalid IP address: ${b.HostIp} (host address of the binding for ${port})`, {
          suggestions: ['publish on one address with -p 127.0.0.1:8080:80, or on all with -p 8080:80'],
        });
      }
    }
  }
}
