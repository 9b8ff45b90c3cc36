// The sandbox a --provider flag names, as a Guest: this host for `local` (no VM boundary), else a sandbox
// vm (by default "boxlab", the one `boxlab up` creates), connected on first use through the VM service.
// Its own module, not part of the local provider: the VM service loads that provider, so the chooser
// there made an import circle.
import { AppError } from '../core/errors.js';
import type { Guest } from './guest.js';
import { LocalGuest } from './providers/local/local-guest.js';
import { VmGuest } from './vm-guest.js';
import { VmService } from './vm-service.js';
import { parseProviderName } from './vm-provider.js';

/** the vm a VM-backed --provider uses when none is named: the one `boxlab up` creates */
export const DEFAULT_SANDBOX_VM = 'boxlab';

/**
 * the guest for a --provider flag: this host for `local`, else the sandbox vm `vm` (default "boxlab"),
 * connected on first use. The vm must exist and run (`boxlab up`); its errors say so when first used.
 */
export function guestForProvider(provider: string, warn?: ((message: string) => void) | null, vm: string = DEFAULT_SANDBOX_VM): Guest {
  if (parseProviderName(provider) === 'local') return new LocalGuest({ warn });
  return new VmGuest(vm, provider, () => connectVm(vm, provider));
}

async function connectVm(vm: string, provider: string): Promise<Guest> {
  const svc = new VmService();
  const record = await svc.records.get(vm);
  if (!record) {
    throw new AppError('FAILED_PRECONDITION', `sandbox vm "${vm}" does not exist`, {
      suggestions: [vm === DEFAULT_SANDBOX_VM ? `create it: boxlab up --provider ${provider}` : `create it: boxlab vm create ${vm} --provider ${provider}`, 'or use --provider local (this host, no VM boundary)'],
    });
  }
  if (record.provider !== provider) {
    throw new AppError('FAILED_PRECONDITION', `sandbox vm "${vm}" runs on ${record.provider}, not ${provider}`, {
      suggestions: [`use --provider ${record.provider}`, 'or name another vm with --vm'],
    });
  }
  return svc.guest(vm);
}
