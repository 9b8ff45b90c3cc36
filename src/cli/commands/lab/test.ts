// `boxlab lab test <dir>`: replays a lab in a fresh sandbox, its runnable snippets as a student clicks
// them and its solutions (see src/labs/lab-tester.ts); --no-snippets replays the solutions only. --fresh
// first restores a multi-node lab's nodes as they booted (ADR 0018), for replays of several labs on one node set.
import { Args, Flags } from '@oclif/core';
import { pickLang } from '../../../core/lang.js';
import { defaultLabWorkDir, labEnv, loadValidLab, SANDBOX_DOCKER_HOST } from '../../../labs/lab-loader.js';
import { testLab, type LabTestReport, type StepTestReport } from '../../../labs/lab-tester.js';
import { ensureLabImages, seedDockerNodeImages } from '../../../labs/lab-images.js';
import { bakeImageSource } from '../../lab-image-source.js';
import { BaseCommand } from '../../base-command.js';
import { labFlags, nodeGuests, sandboxFlags, sandboxGuest } from '../../lab-context.js';
import { formatLabTest, formatStepProgress } from '../../lab-format.js';
import { FRESH_SNAPSHOT, restoreFreshNodes } from '../../../vm/lab-snapshots.js';
import { VmService } from '../../../vm/vm-service.js';

export default class LabTest extends BaseCommand {
  static override description = 'replay a lab: each check must fail before its solution and pass after; the snippets a student clicks must run clean';
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = { dir: Args.string({ description: 'lab folder(s)', required: true }) };
  static override flags = {
    lang: labFlags.lang,
    ...sandboxFlags,
    fresh: Flags.boolean({ description: `multi-node labs: restore the nodes to the snapshot "${FRESH_SNAPSHOT}" (as they booted) before the replay` }),
    snippets: Flags.boolean({ description: "run each step's ```sh run snippets before its solution, as a student clicks them (--no-snippets: solutions only)", default: true, allowNo: true }),
  };

  async run(): Promise<LabTestReport[]> {
    const { argv, flags } = await this.parse(LabTest);
    const guest = await sandboxGuest(flags, { lang: pickLang(flags.lang) });
    const reports: LabTestReport[] = [];
    /** progress lines (restores, image baking, each step as it ends) on stderr: stdout keeps the report */
    const progress = (line: string) => process.stderr.write(line + '\n');
    for (const dir of argv as string[]) {
      const lab = await loadValidLab(dir);
      const work = process.env.BOXLAB_LAB_DIR ?? defaultLabWorkDir(lab.id);
      const env = labEnv(lab, work);
      // a multi-node lab runs on its nodes' VMs (`boxlab lab start <id>` creates them), each with the images
      const nodes = lab.nodes ? nodeGuests() : undefined;
      // --fresh: the nodes back to how they booted first, so labs replayed one after the other on one node set start clean (ADR 0018)
      if (lab.nodes && flags.fresh) {
        if (!(await restoreFreshNodes(new VmService({ progress }), lab, progress))) progress(`${lab.id}: its nodes have no "${FRESH_SNAPSHOT}" snapshot (boxlab lab start ${lab.id} saves it when it creates them): replaying on them as they are`);
      }
      const say = { lang: pickLang(flags.lang), progress };
      for (const node of lab.nodes ?? [undefined]) {
        // a docker node's dockerd gets them from its boxlabd (ADR 0018)
        if (node?.engine === 'docker') await seedDockerNodeImages(nodes!(node.name), lab, env, SANDBOX_DOCKER_HOST, bakeImageSource, say);
        else await ensureLabImages(node ? nodes!(node.name) : guest, lab, env, bakeImageSource, say);
      }
      // a line on stderr as each step ends: a replay in a TCG sandbox takes minutes
      let stepNo = 0;
      const onStep = (s: StepTestReport) => say.progress(formatStepProgress(lab.id, s, ++stepNo, lab.steps.length, say.lang));
      const report = await testLab(guest, lab, { env, lang: say.lang, snippets: flags.snippets, onStep, ...(nodes ? { nodes: { lab, guest: nodes } } : {}) });
      this.log(formatLabTest(report));
      reports.push(report);
    }
    if (reports.some((r) => !r.ok)) process.exitCode = 1;
    return reports;
  }
}
