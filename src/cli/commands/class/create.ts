// `boxlab class create <name> --lab <id>... [--seats N]`: a class of labs from the catalog, kept in the
// teacher's class database, with a first join code to write on the board.
import { Args, Flags } from '@oclif/core';
import { formatCode } from '../../../classroom/class-format.js';
import { createClass, type CreatedClass } from '../../../classroom/class-service.js';
import { hostedPoolOf } from '../../../classroom/hosted/hosted-choice.js';
import { HostedStore, type HostedPool } from '../../../classroom/hosted/hosted-store.js';
import { defaultLabsRoot } from '../../../labs/lab-loader.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, codeTtlFlag, codeTtlMs, withClassStore } from '../../class-flags.js';

export default class ClassCreate extends BaseCommand {
  static override description = 'create a class: the labs its students do, the number of seats, a first join code';
  static override examples = ['<%= config.bin %> class create docker-101 --lab 04-container-lifecycle --lab 06-dockerfile --seats 30'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'class name (lower-case letters, digits, . _ -)', required: true }) };
  static override flags = {
    lab: Flags.string({ description: 'a lab of the class (repeat for more), by id, number or name', required: true, multiple: true }),
    seats: Flags.integer({ description: 'how many students may join', default: 30, min: 1 }),
    ttl: codeTtlFlag(),
    labs: Flags.string({ description: 'folder that holds the labs', env: 'BOXLAB_LABS' }),
    db: classDbFlag(),
    hosted: Flags.string({ description: 'hosted seats for students with only a browser: qemu (vms on this machine) or hosts:<file> (Linux hosts over ssh, one user@host[:port] slots=N a line)' }),
    pool: Flags.integer({ description: 'with --hosted: how many sandboxes class serve keeps warm (default 3, at most the seats)', min: 1, dependsOn: ['hosted'] }),
    memory: Flags.integer({ description: 'with --hosted qemu: memory of each seat\'s vm, MiB (default 1024, at least 768)', min: 1, dependsOn: ['hosted'] }),
  };

  async run(): Promise<CreatedClass & { hosted?: HostedPool }> {
    const { args, flags } = await this.parse(ClassCreate);
    // the hosts file is read and checked before the class exists, so a typo in it leaves no half class
    const pool = flags.hosted === undefined ? undefined : await hostedPoolOf(args.name, flags.hosted, flags.pool ?? Math.min(3, flags.seats), flags.seats, flags.memory);
    return withClassStore(flags.db, async (store) => {
      const created = await createClass(store, args.name, flags.lab, flags.seats, flags.labs ?? defaultLabsRoot(), codeTtlMs(flags.ttl));
      this.log(`class ${created.cls.name}: ${created.cls.seats} seats, labs ${created.cls.labs.map((l) => `${l.id} (${l.steps.length} steps)`).join(', ')}`);
      this.log(`join code: ${formatCode(created.code)}`);
      if (pool) {
        new HostedStore(store.database).setPool(pool);
        this.log(`hosted seats: ${pool.kind === 'qemu' ? 'qemu vms on this machine' : `${pool.hosts.length} ssh hosts (${pool.hosts.reduce((n, h) => n + h.slots, 0)} slots)`}, ${pool.size} kept warm by class serve; students open /join on the class server`);
      }
      this.log(`next: boxlab class serve ${created.cls.name}`);
      return pool ? { ...created, hosted: pool } : created;
    });
  }
}
