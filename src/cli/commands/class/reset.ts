// `boxlab class reset <name> <student> [--step N]`: the teacher resets a student's current lab (to step 1,
// with its teardown and setup again, unless --step names another); the student's agent carries it out at
// its next heartbeat and reports back (`class status` and the teacher's page show how it went). The
// grades stay: a step passed before stays passed in the export.
import { Args, Flags } from '@oclif/core';
import type { SeatCommand } from '../../../classroom/class-model.js';
import { requestSeatReset } from '../../../classroom/class-service.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, withClassStore } from '../../class-flags.js';

export default class ClassReset extends BaseCommand {
  static override description = "reset a student's current lab (their boxlab does it at its next heartbeat; the grades stay)";
  static override examples = ['<%= config.bin %> class reset docker-101 "Student 7"', '<%= config.bin %> class reset docker-101 "Student 7" --step 3'];
  static override enableJsonFlag = true;
  static override args = {
    name: Args.string({ description: 'class name', required: true }),
    student: Args.string({ description: 'the student: the name they joined with, or their seat id', required: true }),
  };
  static override flags = { db: classDbFlag(), step: Flags.integer({ description: 'the step to go back to (1 = start the lab over)', default: 1, min: 1 }) };

  async run(): Promise<SeatCommand> {
    const { args, flags } = await this.parse(ClassReset);
    return withClassStore(flags.db, (store) => {
      const { seat, command } = requestSeatReset(store, args.name, args.student, flags.step);
      this.log(`reset of ${seat}'s lab ${command.labId} to step ${command.step} asked: their boxlab carries it out at its next heartbeat; boxlab class status ${args.name} shows how it went`);
      return command;
    });
  }
}
