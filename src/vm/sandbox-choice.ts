// Which sandbox a lab or tutorial command runs in: a named vm (--vm), the default vm of a provider
// (--provider qemu: the vm "boxlab"), the default sandbox `boxlab up` made when nothing is said, or
// this host (provider local, no VM boundary). chooseSandbox is pure: it decides from the request and the
// vm's record (looked up by the caller), and every refusal names the vm and the command that fixes it.
import { AppError } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
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

/** the refusals in the student's language (lab and tutorial commands pass --lang) */
const SAY = {
  en: {
    orLocal: 'or run on this host: --provider local (no VM boundary)',
    missing: (n: string) => `sandbox vm "${n}" does not exist`,
    createIt: (c: string) => `create it: ${c}`,
    listVms: 'list vms: boxlab vm list',
    otherProvider: (n: string, has: string, asked: string) => `sandbox vm "${n}" runs on ${has}, not ${asked}`,
    otherProviderFix: (has: string) => `leave out --provider (the vm's record says ${has}), or use --provider ${has}`,
    otherVm: 'or name another vm with --vm',
    stopped: (n: string) => `sandbox vm "${n}" is stopped`,
    startIt: (n: string) => `start it: boxlab vm start ${n}`,
    creating: (n: string) => `sandbox vm "${n}" is still being created`,
    waitCreate: 'wait for `boxlab vm create` (or `boxlab up`) to finish',
    broken: (n: string) => `sandbox vm "${n}" is half-created: its create was interrupted`,
    cleanUp: (n: string) => `clean it up: boxlab vm delete ${n} (or create it again: the next create cleans up first)`,
    unreachable: (n: string, why: string) => `sandbox vm "${n}" cannot be reached: ${why}`,
    gone: (n: string, p: string) => `sandbox vm "${n}" is recorded but ${p} no longer has it`,
    recreate: (c: string) => `recreate it: ${c}`,
  },
  zh: {
    orLocal: '或者在本机上运行：--provider local（没有虚拟机隔离）',
    missing: (n: string) => `沙箱虚拟机 "${n}" 不存在`,
    createIt: (c: string) => `创建它：${c}`,
    listVms: '列出虚拟机：boxlab vm list',
    otherProvider: (n: string, has: string, asked: string) => `沙箱虚拟机 "${n}" 运行在 ${has} 上，不是 ${asked}`,
    otherProviderFix: (has: string) => `去掉 --provider（虚拟机记录里是 ${has}），或者使用 --provider ${has}`,
    otherVm: '或者用 --vm 指定另一台虚拟机',
    stopped: (n: string) => `沙箱虚拟机 "${n}" 已停止`,
    startIt: (n: string) => `启动它：boxlab vm start ${n}`,
    creating: (n: string) => `沙箱虚拟机 "${n}" 还在创建中`,
    waitCreate: '等待 `boxlab vm create`（或 `boxlab up`）完成',
    broken: (n: string) => `沙箱虚拟机 "${n}" 只创建了一半：创建过程被中断了`,
    cleanUp: (n: string) => `清理它：boxlab vm delete ${n}（或者重新创建：下一次创建会先清理）`,
    unreachable: (n: string, why: string) => `无法连接沙箱虚拟机 "${n}"：${why}`,
    gone: (n: string, p: string) => `记录里有沙箱虚拟机 "${n}"，但 ${p} 里已经没有它了`,
    recreate: (c: string) => `重新创建：${c}`,
  },
} as const;

export function chooseSandbox(req: SandboxRequest, vm: SandboxVmFacts | undefined, lang: Lang = 'en'): SandboxChoice {
  if (req.provider !== undefined) parseProviderName(req.provider);
  const say = SAY[lang];
  const name = sandboxVmName(req);
  if (name === undefined) return { kind: 'local', why: 'asked' };
  const explicit = req.vm !== undefined || req.provider !== undefined;
  const orLocal = say.orLocal;
  if (!vm) {
    if (!explicit) return { kind: 'local', why: 'no-vm' };
    const withProvider = req.provider ? ` --provider ${req.provider}` : '';
    const create = name === DEFAULT_SANDBOX_VM ? `boxlab up${withProvider}` : `boxlab vm create ${name}${withProvider}`;
    throw new AppError('FAILED_PRECONDITION', say.missing(name), { suggestions: [say.createIt(create), say.listVms, orLocal] });
  }
  if (req.provider !== undefined && vm.provider !== req.provider) {
    throw new AppError('FAILED_PRECONDITION', say.otherProvider(name, vm.provider, req.provider), { suggestions: [say.otherProviderFix(vm.provider), say.otherVm] });
  }
  switch (vm.state) {
    case 'running':
      return { kind: 'vm', vm: name, provider: vm.provider };
    case 'stopped':
      throw new AppError('FAILED_PRECONDITION', say.stopped(name), { suggestions: [say.startIt(name), orLocal] });
    case 'creating':
      throw new AppError('FAILED_PRECONDITION', say.creating(name), { suggestions: [say.waitCreate, orLocal] });
    case 'broken':
      throw new AppError('FAILED_PRECONDITION', say.broken(name), { suggestions: [say.cleanUp(name), orLocal] });
    case 'missing':
      if (vm.problem) {
        throw new AppError('UNAVAILABLE', say.unreachable(name, vm.problem.message), { suggestions: [...vm.problem.suggestions, orLocal] });
      }
      throw new AppError('FAILED_PRECONDITION', say.gone(name, vm.provider), {
        suggestions: [say.recreate(`boxlab vm delete ${name} && ${name === DEFAULT_SANDBOX_VM ? 'boxlab up' : `boxlab vm create ${name}`} --provider ${vm.provider}`), orLocal],
      });
  }
}

/** one line for `boxlab lab status` and the like: where the lab's commands run */
export function describeSandbox(choice: SandboxChoice): string {
  if (choice.kind === 'vm') return `vm "${choice.vm}" (${choice.provider})`;
  return choice.why === 'asked' ? 'this host (--provider local, no VM boundary)' : `this host (no sandbox vm "${DEFAULT_SANDBOX_VM}": boxlab up creates it)`;
}
