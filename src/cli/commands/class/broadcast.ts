// `boxlab class broadcast <name> "<message>"`: a message to every student of the class, kept with its
// time in the class database; each student's agent fetches it at its next heartbeat, and their next `lab`
// command (or the lab page) shows it. The teacher's page has the same field.
import { Args } from '@oclif/core';
import type { Broadcast } from '../../../classroom/class-model.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, withClassStore } from '../../class-flags.js';

export default class ClassBroadcast extends BaseCommand {
  static override description = 'send a message to every student of a class (their next lab command shows it)';
  static override examples = ['<%= config.bin %> class broadcast docker-101 "10 minutes left: push on to step 3"'];
  static override enableJsonFlag = true;
  static override args = {
    name: Args.string({ description: 'class name', required: true }),
    message: Args.string({ description: 'the message (up to 500 characters)', required: true }),
  };
  static override flags = { db: classDbFlag() };

  async run(): Promise<Broadcast> {
    const { args, flags } = await this.parse(ClassBroadcast);
    return withClassStore(flags.db, (store) => {
      const b = store.broadcast(args.name, args.message);
      const listening = store.heartbeats(args.name).length;
      this.log(`sent to class ${b.className} at ${b.at}: students' boxlabs pick it up at their next heartbeat (${listening} of ${store.seats(args.name).length} seats have an agent running)`);
      return b;
    });
  }
}
