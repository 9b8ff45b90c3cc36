// The VMs of a multi-node lab (ADR 0016): one VM per node, named like the node, all on the lab's one lab
// network, each with its engine (boxlabd, or a distribution's dockerd next to it for Swarm: ADR 0008), made
// by the provider the student chose (lab-node-provider.ts: qemu or multipass, ADR 0032). The lab network
// is the provider's: qemu's is a socket multicast group with 10.10.x.y addresses named in each VM's
// /etc/hosts when it is made; multipass's is its own default network, named once every node exists
// (VmService.joinLabNetwork). `lab start` makes the missing ones, starts the stopped ones and reuses the
// running ones of the right shape. The plan and the memory preflight are pure: the preflight adds up what
// the VMs still to boot need and says, before any VM boots, when this host lacks it (in the student's
// language, with each node's share).
import { AppError } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import type { Lab, LabNode } from '../labs/lab-model.js';
import { hostAvailableMiB, QEMU_OVERHEAD_MIB } from './preflight.js';
import { chooseNodeProvider, type NodeProviderAsk, type NodeProviderName } from './lab-node-provider.js';
import { hostEnvironment, type ProviderEnvironment } from './provider-registry.js';
import { FRESH_SNAPSHOT, nodesHaveSnapshot, restoreNodes, saveNodes } from './lab-snapshots.js';
import { nameLabPeers } from './lab-peers.js';
import { withNodeGuests } from './node-guests.js';
import { labNetworkSpecs } from './vm-cli-options.js';
import { qemuRssMiB } from './vm-memory.js';
import type { VmProviderName, VmSpec } from './vm-provider.js';
import type { VmService, VmSummary } from './vm-service.js';

/** one core each: under TCG a VM takes a whole host core while it boots; the nodes boot at the same time */
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

const WHY = { asked: 'as asked', existing: 'their own provider', default: 'the default here; --provider qemu|multipass chooses' } as const;

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
 * brings the lab's nodes up: the plan, the memory preflight for all of them at once, then the VMs made or
 * started, all at the same time; the VMs' summaries, in node order
 */
export async function bringUpLabNodes(svc: VmService, lab: Lab, options: BringUpOptions = {}): Promise<VmSummary[]> {
  return (await bringUpLabNodesFrom(svc, lab, options)).vms;
}

export interface BringUpOptions {
  lang?: Lang;
  progress?: (line: string) => void;
  availableMiB?: number;
  /** snapshots to start stopped nodes from, the first that every stopped node has (qemu: no boot, -loadvm) */
  startFrom?: readonly string[];
  /** what the student asked for: --provider, BOXLAB_VM_PROVIDER (lab-node-provider.ts) */
  ask?: NodeProviderAsk;
  /** what is installed here: multipass, when it is, makes the default */
  installed?: ProviderEnvironment;
}

/**
 * the nodes up (bringUpLabNodes), and how: `created` when every node was just made (then the fresh
 * snapshot was saved on all of them: ADR 0018), `startedFrom` the snapshot the stopped nodes were started
 * from, `provider` the one that runs them
 */
export async function bringUpLabNodesFrom(svc: VmService, lab: Lab, options: BringUpOptions = {}): Promise<{ vms: VmSummary[]; created: boolean; startedFrom?: string; provider: NodeProviderName }> {
  const existing = new Map<string, VmSummary>();
  for (const node of lab.nodes ?? []) {
    const vm = await svc.inspect(node.name);
    if (vm) existing.set(node.name, vm);
  }
  const { provider, why } = chooseNodeProvider(lab, options.ask ?? {}, [...existing.values()].map((v) => v.provider), options.installed ?? hostEnvironment, options.lang);
  options.progress?.(`lab "${lab.id}": its nodes on ${provider} (${WHY[why]})`);
  const plan = planNodeVms(lab, existing, provider, options.lang);
  checkNodesMemory(lab.id, plan, options.availableMiB ?? (await hostAvailableMiB()), options.lang);
  // stopped nodes resume from a snapshot when they all have one: seconds instead of a boot each (qemu)
  const stopped = plan.filter((p) => p.action === 'start').map((p) => p.node.name);
  let startedFrom: string | undefined;
  for (const snap of stopped.length ? options.startFrom ?? [] : []) {
    if (await nodesHaveSnapshot(svc, stopped, snap)) {
      startedFrom = snap;
      await restoreNodes(svc, stopped, snap, options.progress);
      break;
    }
  }
  // the VMs boot together: under TCG a boot keeps one host core busy, so on two cores three boots at once
  // end well before three in a row; a node that fails does not stop the others (a next start reuses them)
  const settled = await Promise.allSettled(plan.map(async (p): Promise<VmSummary> => {
    if (p.action === 'reuse') return existing.get(p.node.name)!;
    if (p.action === 'start') return startedFrom ? (await svc.inspect(p.node.name))! : svc.start(p.node.name);
    return svc.create(p.node.name, provider, p.spec);
  }));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  let out = settled.map((s) => (s as PromiseFulfilledResult<VmSummary>).value);
  const names = plan.map((p) => p.node.name);
  if (plan.some((p) => p.action !== 'reuse') && lab.network) {
    // multipass: the nodes learn each other's addresses once all of them run (qemu's were named at create)
    if (await svc.joinLabNetwork(lab.network, names)) out = await Promise.all(out.map(async (vm) => (await svc.inspect(vm.name)) ?? vm));
    // qemu: a node made (or booted) now is named in the /etc/hosts of the others, and they in its (lab-peers.ts);
    // running nodes that were reused as they are were named when they came up or were last restored
    await withNodeGuests(svc, async (guestOf) => nameLabPeers(await Promise.all(names.map((n) => svc.record(n))), guestOf));
  }
  plan.forEach((p, i) => {
    const vm = out[i]!;
    const how = p.action === 'reuse' ? 'reused' : p.action === 'create' ? 'created' : startedFrom ? `started from "${startedFrom}"` : 'started';
    options.progress?.(`${p.node.name}: ${vm.state} (${how}, ${provider}, ${p.node.engine}, ${vm.peers?.[p.node.name] ?? ''})`);
  });
  const made = plan.filter((p) => p.action === 'create').map((p) => p.node.name);
  // the nodes as they booted, before any lab: the clean start of every lab without its own snapshot
  if (made.length) await saveNodes(svc, made, FRESH_SNAPSHOT, options.progress);
  const created = made.length === plan.length && made.length > 0;
  return { vms: out, created, provider, ...(startedFrom ? { startedFrom } : {}) };
}

export interface StoppedNode {
  name: string;
  /** running: stopped now; stopped: it was already; missing: no such VM */
  was: 'running' | 'stopped' | 'missing';
  /** what its qemu process held on this host just before it stopped (VmRSS), freed by the stop; absent where boxlab does not run the VM's process (multipass: its daemon does) */
  rssMiB?: number;
  /** the memory it was given (what a VM without rssMiB frees, at most) */
  memoryMiB?: number;
}

/**
 * `lab stop`: every node's VM stopped (disks and snapshots kept), one after the other, each qemu's
 * resident memory read just before it goes (a multipass VM: the memory it was given); freedMiB is their
 * sum (what this host gets back)
 */
export async function stopLabNodes(svc: VmService, lab: Pick<Lab, 'nodes'>, progress?: (line: string) => void): Promise<{ nodes: StoppedNode[]; freedMiB: number }> {
  const nodes: StoppedNode[] = [];
  for (const node of lab.nodes ?? []) {
    const vm = await svc.inspect(node.name);
    if (!vm) {
      nodes.push({ name: node.name, was: 'missing' });
      continue;
    }
    if (vm.state !== 'running') {
      nodes.push({ name: node.name, was: 'stopped', memoryMiB: vm.memoryMiB });
      continue;
    }
    const rssMiB = vm.provider === 'qemu' ? await qemuRssMiB(svc.records.dir(node.name)) : undefined;
    await svc.stop(node.name);
    progress?.(`${node.name}: stopped`);
    nodes.push({ name: node.name, was: 'running', memoryMiB: vm.memoryMiB, ...(rssMiB !== undefined ? { rssMiB } : {}) });
  }
  // a VM whose RSS could not be read (another provider) frees at most what it was given
  const freedMiB = nodes.filter((n) => n.was === 'running').reduce((sum, n) => sum + (n.rssMiB ?? n.memoryMiB ?? 0), 0);
  return { nodes, freedMiB };
}
