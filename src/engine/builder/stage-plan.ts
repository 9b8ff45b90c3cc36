// Multi-stage builds: the Dockerfile split into the ARGs before the first FROM (meta args, usable in
// FROM lines) and stages, each starting at a FROM, optionally named (`FROM golang AS build`). With
// --target the build stops after the named stage, as `docker build --target` does.
import { invalidArgument } from '../../core/errors.js';
import type { Instruction } from './instruction.js';

export interface Stage {
  /** the FROM instruction */
  from: Instruction;
  /** `AS name`, lower-cased as Docker does; undefined when unnamed */
  name?: string;
  index: number;
  body: Instruction[];
}

export interface StagePlan {
  metaArgs: Instruction[];
  stages: Stage[];
}

export function planStages(instructions: readonly Instruction[], target?: string, file = 'Dockerfile'): StagePlan {
  const metaArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.cmd === 'from') {
      const [, as, name, ...extra] = ins.args;
      if (ins.args.length === 0) throw invalidArgument(`${file}:${ins.line}: FROM requires an image, e.g. FROM busybox`);
      if (as !== undefined && (as.toLowerCase() !== 'as' || name === undefined || extra.length > 0)) {
        throw invalidArgument(`${file}:${ins.line}: FROM takes an image and optionally "AS <name>", found "${ins.args.join(' ')}"`);
      }
      const stageName = name?.toLowerCase();
      if (stageName !== undefined && stages.some((s) => s.name === stageName)) {
        throw invalidArgument(`${file}:${ins.line}: duplicate stage name "${stageName}"`);
      }
      stages.push({ from: ins, name: stageName, index: stages.length, body: [] });
    } else if (stages.length === 0) {
      if (ins.cmd !== 'arg') {
        throw invalidArgument(`${file}:${ins.line}: no build stage in current context: a Dockerfile must start with FROM (only ARG may come before it)`);
      }
      metaArgs.push(ins);
    } else {
      stages[stages.length - 1]!.body.push(ins);
    }
  }
  if (stages.length === 0) throw invalidArgument(`${file}: no FROM instruction: a Dockerfile needs at least one stage`);
  if (target !== undefined && target !== '') {
    const i = stages.findIndex((s) => s.name === target.toLowerCase());
    if (i < 0) {
      throw invalidArgument(`failed to reach build target ${target} in Dockerfile`, {
        suggestions: [`stages are: ${stages.map((s) => s.name ?? `#${s.index}`).join(', ')}`],
      });
    }
    return { metaArgs, stages: stages.slice(0, i + 1) };
  }
  return { metaArgs, stages };
}

/** the number of steps the classic builder prints as "Step n/<total>" */
export function stepCount(plan: StagePlan): number {
  return plan.metaArgs.length + plan.stages.reduce((n, s) => n + 1 + s.body.length, 0);
}
