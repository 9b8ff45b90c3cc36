// What `docker create` checks before anything is written: the name, and the host config values Docker
// refuses, with Docker's words. (The command line and env merge is spec/resolve-process.ts.) Pure.
import { invalidArgument } from '../../core/errors.js';
import { CONTAINER_NAME_PATTERN } from '../../core/ids.js';
import type { ContainerCreateBody, HostConfig } from '../api/docker-types.js';
import { checkLogConfig } from './log-config.js';

export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

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
  if (h.Memory && h.Memory > 0 && h.Memory < MIN_MEMORY_BYTES) throw invalidArgument('Minimum memory limit allowed is 6MB');
  if (h.MemorySwap && h.MemorySwap > 0 && h.Memory && h.MemorySwap < h.Memory)
    throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  const policy = h.RestartPolicy?.Name ?? '';
  if (h.AutoRemove && policy !== '' && policy !== 'no') throw invalidArgument('conflicting options: cannot specify both --restart and --rm');
  if (policy !== 'on-failure' && (h.RestartPolicy?.MaximumRetryCount ?? 0) > 0)
    throw invalidArgument(`maximum retry count cannot be used with restart policy '${policy}'`);
  if ((h.RestartPolicy?.MaximumRetryCount ?? 0) < 0) throw invalidArgument('maximum retry count cannot be negative');
  checkLogConfig(h); // --log-driver and --log-opt names; the values are read at start, as dockerd does
  // network modes, user networks and published ports: the network plane (src/engine/network) checks them
  return { warnings };
}
