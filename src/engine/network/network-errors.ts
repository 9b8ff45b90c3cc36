// The network plane's errors, in Docker's words where the docker CLI users know them.
import { AppError, alreadyExists, invalidArgument, messageOf, notFound } from '../../core/errors.js';

export const networkNotFound = (ref: string) => notFound(`network ${ref} not found`, { suggestions: ['list networks with: docker network ls'] });

/** Docker answers 403/409 for address conflicts; ALREADY_EXISTS maps to 409 */
export const conflict = (message: string, suggestions: string[] = []) => alreadyExists(message, { suggestions });

export const inUse = (name: string, id: string) =>
  new AppError('FAILED_PRECONDITION', `error while removing network: network ${name} id ${id} has active endpoints`, {
    suggestions: [`stop or disconnect its containers first: docker network inspect ${name}`],
  });

export const badRequest = (message: string, suggestions: string[] = []) => invalidArgument(message, { suggestions });

/**
 * The kernel's packet filter (netfilter, through iptables) could not be read or written: bridge networks
 * need it for NAT and isolation. The fix is in the message itself, since the docker CLI prints only that.
 */
export const packetFilterUnusable = (cause: unknown) =>
  new AppError(
    'COMMAND_FAILED',
    `cannot set up the bridge network: the kernel's packet filter (iptables) is not usable: ${messageOf(cause).trim()}; ` +
      'load its modules (modprobe ip_tables iptable_nat iptable_filter), install iptables, or run the container with --network none or --network host',
    {
      cause,
      suggestions: ['modprobe ip_tables iptable_nat iptable_filter', 'apt-get install iptables', 'docker run --network none ... (or --network host)'],
    },
  );
