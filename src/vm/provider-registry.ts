// The provider registry (like lima's pkg/registry): a name -> factory table plus the default order the
// design fixes: multipass when it is installed (it manages its own VMs well on macOS and Windows), else
// qemu (KVM when a probe VM really boots, else TCG). `local` and `ssh` are never picked implicitly:
// local has no VM boundary, and ssh needs a host.
import { execFileSync } from 'node:child_process';
import { LocalProvider } from './providers/local/local-provider.js';
import { MultipassProvider } from './providers/multipass/multipass-provider.js';
import { QemuProvider } from './providers/qemu/qemu-provider.js';
import { SshProvider } from './providers/ssh/ssh-provider.js';
import { parseProviderName, type VmProvider, type VmProviderName } from './vm-provider.js';

export { isProviderName } from './vm-provider.js';

export interface ProviderEnvironment {
  /** is this program on PATH? */
  has(binary: string): boolean;
}

export const hostEnvironment: ProviderEnvironment = {
  has(binary) {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', binary], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  },
};

/** the provider `boxlab up` and `vm create` use when none is named */
export function defaultProviderName(env: ProviderEnvironment = hostEnvironment): VmProviderName {
  if (env.has('multipass')) return 'multipass';
  return 'qemu';
}

export function createProvider(name: string, options: { warn?: (m: string) => void } = {}): VmProvider {
  switch (parseProviderName(name)) {
    case 'local':
      return new LocalProvider({ warn: options.warn });
    case 'qemu':
      return new QemuProvider({ progress: options.warn });
    case 'multipass':
      return new MultipassProvider();
    case 'ssh':
      return new SshProvider();
  }
}
