// Which sandbox a lab or tutorial command runs in: a named vm (--vm), the default vm of a provider
// (--provider qemu: the vm "boxlab"), the default sandbox `boxlab up` made when nothing is said, or
// this host (provider local, no VM boundary). chooseSandbox is pure: it decides from the request and the
// vm's record (looked up by the caller), and every refusal names the vm and the command that fixes it.
import { AppError } from '../core/errors.js';
import { DEFAULT_SANDBOX_VM } from './sandbox-guest.js';
import { parseProviderName, type VmProviderName } from './vm-provider.js';
import type { VmSummary } from './vm-service.js';

export interface SandboxRequest {
  /** --provider (or BOXLAB_PROVIDER), absent when not given */
  provider?: string;
  /** --vm (or BOXLAB_VM), absent when not given */
  vm?: string;
}

export type SandboxChoice =
  | { kind: 'local'; /** "asked": --provider local; "no-vm": nothing said and no default sandbox exists */ why: 'asked' | 'no-vm' }
  | { kind: 'vm'; vm: string; provider: VmProviderName };

/** the vm whose record chooseSandbox needs, or undefined when the request is plainly this host */
export function sandboxVmName(req: SandboxRequest): string | undefined {
  if (req.vm) return req.vm;
  if (req.provider === 'local') return undefined;
  return DEFAULT_SANDBOX_VM;
}

/** the vm's facts: its record's provider and phase, and its state as its provider reports it */
export type SandboxVmFacts = Pick<VmSummary, 'name' | 'provider' | 'state' | 'problem'>;

export function chooseSandbox(req: SandboxRequest, vm: SandboxVmFacts | undefined): SandboxChoice {
  if (req.provider !== undefined) parseProviderName(req.provider);
  const name = sandboxVmName(req);
  if (name === undefined) return { kind: 'local', why: 'asked' };
  const explicit = req.vm !== undefined || req.provider !== undefined;
  const orLocal = 'or run on this host: --provider local (no VM boundary)';
  if (!vm) {
    if (!explicit) return { kind: 'local', why: 'no-vm' };
    const withProvider = req.provider ? ` --provider ${req.provider}` : '';
    const create = name === DEFAULT_SANDBOX_VM ? `boxlab up${withProvider}` : `boxlab vm create ${name}${withProvider}`;
    throw new AppError('FAILED_PRECONDITION', `sandbox vm "${name}" does not exist`, { suggestions: [`create it: ${create}`, 'list vms: boxlab vm list', orLocal] });
  }
  if (req.provider !== undefined && vm.provider !== req.provider) {
    throw new AppError('FAILED_PRECONDITION', `sandbox vm "${name}" runs on ${vm.provider}, not ${req.provider}`, {
      suggestions: [`leave out --provider (the vm's record says ${vm.provider}), or use --provider ${vm.provider}`, 'or name another vm with --vm'],
    });
  }
  switch (vm.state) {
    case 'running':
      return { kind: 'vm', vm: name, provider: vm.provider };
    case 'stopped':
      throw new AppError('FAILED_PRECONDITION', `sandbox vm "${name}" is stopped`, { suggestions: [`start it: boxlab vm start ${name}`, orLocal] });
    case 'creating':
      throw new AppError('FAILED_PRECONDITION', `sandbox vm "${name}" is still being created`, { suggestions: ['wait for `boxlab vm create` (or `boxlab up`) to finish', orLocal] });
    case 'broken':
      throw new AppError('FAILED_PRECONDITION', `sandbox vm "${name}" is half-created: its create was interrupted`, {
        suggestions: [`clean it up: boxlab vm delete ${name} (or create it again: the next create cleans up first)`, orLocal],
      });
    case 'missing':
      if (vm.problem) {
        throw new AppError('UNAVAILABLE', `sandbox vm "${name}" cannot be reached: ${vm.problem.message}`, { suggestions: [...vm.problem.suggestions, orLocal] });
      }
      throw new AppError('FAILED_PRECONDITION', `sandbox vm "${name}" is recorded but ${vm.provider} no longer has it`, {
        suggestions: [`recreate it: boxlab vm delete ${name} && ${name === DEFAULT_SANDBOX_VM ? 'boxlab up' : `boxlab vm create ${name}`} --provider ${vm.provider}`, orLocal],
      });
  }
}

/** one line for `boxlab lab status` and the like: where the lab's commands run */
export function describeSandbox(choice: SandboxChoice): string {
  if (choice.kind === 'vm') return `vm "${choice.vm}" (${choice.provider})`;
  return choice.why === 'asked' ? 'this host (--provider local, no VM boundary)' : `this host (no sandbox vm "${DEFAULT_SANDBOX_VM}": boxlab up creates it)`;
}
