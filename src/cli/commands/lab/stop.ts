// `boxlab lab stop [<id>]`: stops the VMs of a multi-node lab's nodes (the active lab, or the one named)
// and says how much memory that gave back to this host (each qemu's resident memory just before it
// stopped; a multipass VM's, whose process its daemon runs: the memory it was given). Disks and snapshots stay, progress too: the next `lab start` resumes the nodes from the
// lab's start snapshot (ADR 0018). A single-node lab is refused: `lab start` never starts a sandbox for
// it (it runs in the vm `boxlab up` made, or on this host), so there is nothing of the lab's own to stop.
import { Args } from '@oclif/core';
import { failedPrecondition } from '../../../core/errors.js';
import { findLabWithDir } from '../../../labs/lab-loader.js';
import { labMessage } from '../../../labs/lab-messages.js';
import { activeLab } from '../../../labs/lab-session.js';
import { stopLabNodes, type StoppedNode } from '../../../vm/lab-nodes.js';
import { VmService } from '../../../vm/vm-service.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags } from '../../lab-context.js';

export default class LabStop extends BaseCommand {
  static override description = "stop a multi-node lab's node VMs and free their memory (progress, disks and snapshots stay)";
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'lab id, its number or its name (default: the active lab)', required: false }) };
  static override flags = { ...labFlags };

  async run(): Promise<{ labId: string; nodes: StoppedNode[]; freedMiB: number }> {
    const { args, flags } = await this.parse(LabStop);
    const ctx = labContext(flags);
    try {
      const lab = args.id === undefined ? (await activeLab(ctx)).lab : (await findLabWithDir(args.id, ctx.labsRoot, ctx.lang)).lab;
      if (!lab.nodes) throw failedPrecondition(labMessage(ctx.lang, 'stop.single-node', { id: lab.id }), { suggestions: [labMessage(ctx.lang, 'stop.single-node-fix')] });
      const { nodes, freedMiB } = await stopLabNodes(new VmService({ progress: (l) => process.stderr.write(l + '\n') }), lab);
      const say = (key: Parameters<typeof labMessage>[1], values: Record<string, string | number> = {}) => labMessage(ctx.lang, key, { id: lab.id, ...values });
      const lines = [say('stop.stopped', { count: nodes.filter((n) => n.was === 'running').length, mib: freedMiB })];
      for (const n of nodes) {
        if (n.was === 'running') lines.push(n.rssMiB !== undefined ? say('stop.node', { node: n.name, mib: n.rssMiB }) : say('stop.node-given', { node: n.name, mib: n.memoryMiB ?? 0 }));
        else lines.push(say(n.was === 'stopped' ? 'stop.node-was-stopped' : 'stop.node-missing', { node: n.name }));
      }
      lines.push(say('stop.resume'));
      this.log(lines.join('\n'));
      return { labId: lab.id, nodes, freedMiB };
    } finally {
      ctx.store.close();
    }
  }
}
