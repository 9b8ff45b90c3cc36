// The VMs of a multi-node lab (ADR 0016): one VM per node, named like the node, all on the lab's one lab
// network (qemu: a socket multicast group, 10.10.x.y addresses, every VM's /etc/hosts naming the others),
// each with its engine (boxlabd, or Debian's dockerd next to it for Swarm: ADR 0008). `lab start` makes the
// missing ones, starts the stopped ones and reuses the running ones of the right shape. The plan and the
// memory preflight are pure: the preflight adds up what the VMs still to boot need and says, before any
// VM boots, when this host lacks it (in the student's language, with each node's share).
import { promises as fs } from 'node:fs';
import { AppError } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import type { Lab, LabNode } from '../labs/lab-model.js';
import { parseMemAvailableMiB, QEMU_OVERHEAD_MIB } from './preflight.js';
import { labNetworkSpecs } from './vm-cli-options.js';
import type { VmProviderName, VmSpec } from './vm-provider.js';
import type { VmService, VmSummary } from './vm-service.js';

/** one core each: under TCG a VM takes a whole host core while it boots, and they boot one at a time */
export const NODE_CPUS = 1;

export interface NodeVmPlan {
  node: LabNode;
  spec: VmSpec;
  /** create: no such VM; start: it exists, stopped; reuse: it runs with the right shape */
  action: 'create' | 'start' | 'reuse';
}

const SAY = {
  en: {
    otherShape: (vm: string, what: string) => `vm "${vm}" exists but is not this lab's node: ${what}`,
    deleteIt: (vm: string) => `delete it (its containers and files go with it): boxlab vm delete ${vm}`,
    network: (has: string | undefined, wants: string) => `it is on ${has ? `lab network "${has}"` : 'no lab network'}, the lab needs "${wants}"`,
    engine: (has: string, wants: string) => `its engine is ${has}, the node needs ${wants}`,
    provider: (has: string, wants: string) => `it runs on ${has}, the lab's nodes on ${wants}`,
    busy: (vm: string, state: string) => `vm "${vm}" is ${state === 'creating' ? 'still being created' : state === 'broken' ? 'half-created (an interrupted create)' : 'recorded but gone from its provider'}`,
    busyFix: (vm: string) => `clean it up: boxlab vm delete ${vm} (then lab start again)`,
    memory: (id: string, need: number, have: number, parts: string) => `not enough memory for lab "${id}": its nodes need ${need} MiB (${parts}), this host has ${have} MiB available`,
    memoryStop: 'stop VMs you are not using: boxlab vm list, boxlab vm stop <name>',
    memoryOther: 'or close programs that use memory on this host, then lab start again',
  },
  zh: {
    otherShape: (vm: string, what: string) => `虚拟机 "${vm}" 已经存在，但不是这个实验的节点：${what}`,
    deleteIt: (vm: string) => `删除它（其中的容器和文件会一起删除）：boxlab vm delete ${vm}`,
    network: (has: string | undefined, wants: string) => `它在${has ? `实验网络 "${has}" 上` : '任何实验网络之外'}，这个实验需要 "${wants}"`,
    engine: (has: string, wants: string) => `它的引擎是 ${has}，这个节点需要 ${wants}`,
    provider: (has: string, wants: string) => `它运行在 ${has} 上，实验的节点用 ${wants}`,
    busy: (vm: string, state: string) => `虚拟机 "${vm}" ${state === 'creating' ? '还在创建中' : state === 'broken' ? '只创建了一半（创建被中断了）' : '有记录，但它的提供者那里已经没有它了'}`,
    busyFix: (vm: string) => `清理它：boxlab vm delete ${vm}（然后再次 lab start）`,
    memory: (id: string, need: number, have: number, parts: string) => `内存不够运行实验 "${id}"：它的节点需要 ${need} MiB（${parts}），本机可用 ${have} MiB`,
    memoryStop: '停止不用的虚拟机：boxlab vm list，boxlab vm stop <名字>',
    memoryOther: '或者关掉本机上占内存的程序，然后再次 lab start',
  },
} as const;

/** what to do with each node's VM, given the VMs that exist (pure); a VM of another shape is refused */
export function planNodeVms(lab: Pick<Lab, 'id' | 'nodes' | 'network'>, existing: ReadonlyMap<string, VmSummary>, provider: VmProviderName = 'qemu', lang: Lang = 'en'): NodeVmPlan[] {
  const nodes = lab.nodes ?? [];
  const say = SAY[lang];
  const nets = labNetworkSpecs(nodes.map((n) => n.name), lab.network);
  return nodes.map((node) => {
    const spec: VmSpec = { cpus: NODE_CPUS, memoryMiB: node.memoryMiB, network: nets.get(node.name), ...(node.engine === 'docker' ? { engine: 'docker' as const } : {}) };
    const vm = existing.get(node.name);
    if (!vm) return { node, spec, action: 'create' };
    const wrong: string[] = [];
    if (vm.provider !== provider) wrong.push(say.provider(vm.provider, provider));
    if (vm.network !== lab.network) wrong.push(say.network(vm.network, lab.network!));
    if (vm.engine !== node.engine) wrong.push(say.engine(vm.engine, node.engine));
    if (wrong.length > 0) throw new AppError('FAILED_PRECONDITION', say.otherShape(node.name, wrong.join('; ')), { suggestions: [say.deleteIt(node.name)] });
    if (vm.state === 'running') return { node, spec, action: 'reuse' };
    if (vm.state === 'stopped') return { node, spec, action: 'start' };
    throw new AppError('FAILED_PRECONDITION', say.busy(node.name, vm.state), { suggestions: [say.busyFix(node.name)] });
  });
}

/** the memory the VMs still to boot need, against what this host has: throws before anything boots (pure) */
export function checkNodesMemory(labId: string, plan: readonly NodeVmPlan[], availableMiB: number, lang: Lang = 'en'): void {
  const booting = plan.filter((p) => p.action !== 'reuse');
  const need = booting.reduce((sum, p) => sum + p.spec.memoryMiB + QEMU_OVERHEAD_MIB, 0);
  if (need <= availableMiB) return;
  const say = SAY[lang];
  const parts = booting.map((p) => `${p.node.name} ${p.spec.memoryMiB}+${QEMU_OVERHEAD_MIB}`).join(', ');
  throw new AppError('FAILED_PRECONDITION', say.memory(labId, need, availableMiB, parts), { suggestions: [say.memoryStop, say.memoryOther] });
}

/**
 * brings the lab's nodes up: the plan, the memory preflight for all of them at once, then each VM made or
 * started in order (one at a time); the VMs' summaries, in node order
 */
export async function bringUpLabNodes(svc: VmService, lab: Lab, options: { lang?: Lang; progress?: (line: string) => void; availableMiB?: number } = {}): Promise<VmSummary[]> {
  const existing = new Map<string, VmSummary>();
  for (const node of lab.nodes ?? []) {
    const vm = await svc.inspect(node.name);
    if (vm) existing.set(node.name, vm);
  }
  const plan = planNodeVms(lab, existing, 'qemu', options.lang);
  checkNodesMemory(lab.id, plan, options.availableMiB ?? parseMemAvailableMiB(await fs.readFile('/proc/meminfo', 'utf8')), options.lang);
  const out: VmSummary[] = [];
  for (const p of plan) {
    if (p.action === 'reuse') out.push(existing.get(p.node.name)!);
    else if (p.action === 'start') out.push(await svc.start(p.node.name));
    else out.push(await svc.create(p.node.name, 'qemu', p.spec));
    options.progress?.(`${p.node.name}: ${out[out.length - 1]!.state} (${p.action === 'reuse' ? 'reused' : p.action === 'start' ? 'started' : 'created'}, ${p.node.engine}, ${p.spec.network?.address ?? ''})`);
  }
  return out;
}
