// `boxlab lab start <id>`: runs the lab's setup in the sandbox (first time only) and shows the step; a
// lab that uses the engine also gets the DOCKER_HOST line for the student's shell (or, in a vm sandbox,
// `boxlab lab shell`). <id> may be the lab's number or its name without the number
// (src/labs/lab-id-match.ts). Another active lab is torn down first. A lab in the middle whose sandbox no
// longer holds it (lab-marker.ts) is not resumed: the command says so, runs nothing and exits 1, and
// --replay (the earlier steps' solutions) or --restart (step 1) chooses. A multi-node lab (ADR 0016)
// first brings up its nodes: one VM per node on the lab's network (src/vm/lab-nodes.ts), after a
// memory preflight for all of them, made by --provider qemu|multipass as typed (else BOXLAB_VM_PROVIDER,
// else the nodes' own provider, else multipass if installed, else qemu: src/vm/lab-node-provider.ts). Their snapshots (ADR 0018, src/vm/lab-snapshots.ts): the first start
// saves the lab's start on every node after the setup, the next one restores it instead of setting up
// again; stopped nodes resume from a snapshot; --fresh starts over on the nodes as they booted.
import { Args, Flags } from '@oclif/core';
import { findLabWithDir } from '../../../labs/lab-loader.js';
import { startLab, type StartResult } from '../../../labs/lab-session.js';
import { bringUpLabNodesFrom } from '../../../vm/lab-nodes.js';
import { FRESH_SNAPSHOT, labNodeSnapshots, labSnapshotName } from '../../../vm/lab-snapshots.js';
import { VmService } from '../../../vm/vm-service.js';
import { PROVIDERS } from '../../../vm/vm-provider.js';
import { BaseCommand } from '../../base-command.js';
import { labContext, labFlags, labSandbox, sandboxFlags } from '../../lab-context.js';
import { formatStart } from '../../lab-format.js';

export default class LabStart extends BaseCommand {
  static override description = 'start (or resume) a lab and show its current step';
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'lab id, its number (04) or name (container-lifecycle), or a lab folder', required: true }) };
  static override flags = {
    ...labFlags,
    ...sandboxFlags,
    provider: Flags.string({
      description: "single-node labs: the sandbox (local: this host; qemu|multipass|ssh: that provider's vm); multi-node labs: qemu or multipass makes the nodes' vms (default: BOXLAB_VM_PROVIDER, else the nodes' own, else multipass if installed, else qemu)",
      options: [...PROVIDERS],
      env: 'BOXLAB_PROVIDER',
    }),
    replay: Flags.boolean({ description: "when the sandbox no longer holds the lab: set it up again and replay the earlier steps' solutions", exclusive: ['restart'] }),
    restart: Flags.boolean({ description: 'start the lab over at step 1 (teardown, setup)', exclusive: ['replay'] }),
    fresh: Flags.boolean({ description: "multi-node labs: start over on the nodes as they booted (snapshot nodes-fresh), run the setup and save the lab's start again", exclusive: ['replay'] }),
  };

  async run(): Promise<StartResult> {
    const { args, flags, raw } = await this.parse(LabStart);
    const ctx = labContext(flags);
    try {
      const { lab } = await findLabWithDir(args.id, ctx.labsRoot, ctx.lang);
      if (lab.nodes) {
        const progress = (line: string) => process.stderr.write(line + '\n');
        const svc = new VmService({ progress });
        // stopped nodes resume from the lab's start when no other lab is active (no other lab's teardown will run on them)
        const active = ctx.store.activeLabLocation(ctx.learner)?.labId;
        const start = labSnapshotName(lab.id);
        const startFrom = !flags.fresh && (active === undefined || active === lab.id) ? [start, FRESH_SNAPSHOT] : [FRESH_SNAPSHOT];
        // --provider as typed chooses the nodes' provider; BOXLAB_PROVIDER (which fills the flag too) names single-node labs' sandbox
        const typed = raw.some((t) => t.type === 'flag' && t.flag === 'provider');
        const ask = { ...(typed ? { flag: flags.provider } : {}), ...(process.env.BOXLAB_VM_PROVIDER ? { env: process.env.BOXLAB_VM_PROVIDER } : {}) };
        const up = await bringUpLabNodesFrom(svc, lab, { lang: ctx.lang, progress, startFrom, ask });
        ctx.nodeSnapshots = labNodeSnapshots(svc, {
          progress,
          release: async (node) => ctx.nodeGuest!(node).close?.(),
          fresh: up.created || up.startedFrom === FRESH_SNAPSHOT,
          atStart: up.startedFrom === start,
          ignoreStart: flags.fresh,
        });
      }
      // a multi-node lab runs on its nodes' guests (ctx.nodeGuest), not in the one sandbox
      const guest = lab.nodes ? ctx.nodeGuest!(lab.nodes[0]!.name) : await labSandbox(flags, ctx);
      const r = await startLab(ctx, guest, args.id, flags.replay ? 'replay' : flags.restart || flags.fresh ? 'restart' : undefined);
      this.log(formatStart(r, ctx.lang));
      // nothing ran: the learner has to choose (or the replay stopped at a step that does not pass)
      if (r.sandboxLost || (r.replay && !r.replay.ok)) process.exitCode = 1;
      return r;
    } finally {
      ctx.store.close();
    }
  }
}
