// Which sandbox technology makes a multi-node lab's VMs: what the student asked for (`lab start
// --provider`, else BOXLAB_VM_PROVIDER, the variable `vm create` and `boxlab up` read), else the provider of
// the node VMs that already exist (so a lab started once with --provider qemu is reused as it is, not
// refused as "the wrong provider"), else what `vm create` picks (multipass when installed, else qemu).
// Only qemu and multipass can make VMs on one lab network with snapshots; ssh and local are refused with
// the way out. BOXLAB_PROVIDER does not choose: it names the sandbox of single-node labs, often "local".
// Pure: the caller reads the flag, the environment and what is installed.
import { AppError } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import { defaultProviderName, type ProviderEnvironment } from './provider-registry.js';
import { parseProviderName, type VmProviderName } from './vm-provider.js';

/** the providers that can make a lab's nodes: a VM each, one lab network, snapshots */
export const NODE_PROVIDERS = ['qemu', 'multipass'] as const satisfies readonly VmProviderName[];
export type NodeProviderName = (typeof NODE_PROVIDERS)[number];

export interface NodeProviderAsk {
  /** --provider as typed on the command line */
  flag?: string;
  /** BOXLAB_VM_PROVIDER */
  env?: string;
}

export interface NodeProviderChoice {
  provider: NodeProviderName;
  /** asked: --provider or BOXLAB_VM_PROVIDER; existing: the node VMs' own; default: as `vm create` picks */
  why: 'asked' | 'existing' | 'default';
}

const SAY = {
  en: {
    refused: (id: string, count: number, nodes: string, asked: string, local: boolean) =>
      `lab "${id}" runs on ${count} vms (${nodes}) on one lab network: ${asked} cannot make them (${local ? 'this host' : 'an ssh host'} is one machine, with no lab network and no snapshots)`,
    use: (id: string) => `use qemu or multipass: boxlab lab start ${id} --provider qemu (or --provider multipass, where Multipass is installed)`,
    unset: 'or unset BOXLAB_VM_PROVIDER',
  },
  zh: {
    refused: (id: string, count: number, nodes: string, asked: string, local: boolean) =>
      `实验 "${id}" 运行在同一个实验网络上的 ${count} 台虚拟机上（${nodes}）：${asked} 造不出它们（${local ? '本机' : 'ssh 主机'}只是一台机器，没有实验网络，也没有快照）`,
    use: (id: string) => `用 qemu 或 multipass：boxlab lab start ${id} --provider qemu（装了 Multipass 的话也可以 --provider multipass）`,
    unset: '或者取消 BOXLAB_VM_PROVIDER 这个环境变量',
  },
} as const;

/**
 * the provider of a multi-node lab's VMs (pure); `existing` are the providers of the node VMs that
 * exist already; throws for ssh and local, in the student's language
 */
export function chooseNodeProvider(
  lab: { id: string; nodes?: readonly { name: string }[] },
  ask: NodeProviderAsk,
  existing: readonly VmProviderName[],
  installed: ProviderEnvironment,
  lang: Lang = 'en',
): NodeProviderChoice {
  const asked = ask.flag ?? ask.env;
  if (asked !== undefined) {
    const provider = parseProviderName(asked);
    if (isNodeProvider(provider)) return { provider, why: 'asked' };
    const say = SAY[lang];
    const nodes = (lab.nodes ?? []).map((n) => n.name);
    const what = ask.flag !== undefined ? `--provider ${provider}` : `BOXLAB_VM_PROVIDER=${provider}`;
    throw new AppError('INVALID_ARGUMENT', say.refused(lab.id, nodes.length, nodes.join(', '), what, provider === 'local'), {
      suggestions: ask.flag !== undefined ? [say.use(lab.id)] : [say.use(lab.id), say.unset],
    });
  }
  const own = [...new Set(existing)];
  if (own.length === 1 && isNodeProvider(own[0]!)) return { provider: own[0], why: 'existing' };
  const fallback = defaultProviderName(installed);
  return { provider: isNodeProvider(fallback) ? fallback : 'qemu', why: 'default' };
}

function isNodeProvider(name: VmProviderName): name is NodeProviderName {
  return (NODE_PROVIDERS as readonly string[]).includes(name);
}
