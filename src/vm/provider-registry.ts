// The provider registry (like lima's pkg/registry): a name -> factory table plus the default order the
// design fixes: multipass when it is installed (it manages its own VMs well on macOS and Windows), else
// qemu (KVM when a probe VM really boots, else TCG). `local` and `ssh` are never picked implicitly:
// local has no VM boundary, and ssh needs a host.
// A provider's module is imported when that provider is first asked for: a lab command on this host
// (local) does not load qemu's, multipass's and ssh's code and their dependencies (issue 19: the CLI's start).
import { execFileSync } from 'node:child_process';
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

export async function createProvider(name: string, options: { warn?: (m: string) => void } = {}): Promise<VmProvider> {
  switch (parseProviderName(name)) {
    case 'local': {
      const { LocalProvider } = await import('./providers/local/local-provider.js');
      return new LocalProvider({ warn: options.warn });
    }
    case 'qemu': {
      const { QemuProvider } = await import('./providers/qemu/qemu-provider.js');
      return new QemuProvider({ progress: options.warn });
    }
    case 'multipass': {
      const { MultipassProvider } = await import('./providers/multipass/multipass-provider.js');
      return new MultipassProvider();
    }
    case 'ssh': {
      const { SshProvider } = await import('./providers/ssh/ssh-provider.js');
      return new SshProvider();
    }
  }
}
