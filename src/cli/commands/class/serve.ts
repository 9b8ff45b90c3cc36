// `boxlab class serve <name> [--listen HOST:PORT]`: the class server for students' boxlabs to join and
// report to (src/classroom/class-server.ts). Loopback unless --listen names another address, and then it
// first says what that exposes. Prints the address students join, the join code and the teacher's
// address; listens where it listened last, so a restart keeps the students' address working.
import { Args, Flags } from '@oclif/core';
import os from 'node:os';
import { formatCode } from '../../../classroom/class-format.js';
import { DEFAULT_CLASS_PORT, exposureNotice, formatListen, parseListen } from '../../../classroom/class-listen.js';
import { startClassServer } from '../../../classroom/class-server.js';
import { ClassStore } from '../../../classroom/class-store.js';
import { BaseCommand } from '../../base-command.js';
import { classDbFlag, deadAfterMs } from '../../class-flags.js';
import { portInUseError } from '../../port-in-use.js';
import { failedPrecondition } from '../../../core/errors.js';
import { pickLang } from '../../../core/lang.js';
import { formatDuration } from '../../../labs/duration.js';
import { hostedSeatsFor } from '../../hosted-seats-wiring.js';

export default class ClassServe extends BaseCommand {
  static override description = "serve a class: students' boxlabs join it and report their checks and hints to it";
  static override examples = ['<%= config.bin %> class serve docker-101', '<%= config.bin %> class serve docker-101 --listen 0.0.0.0:7733'];
  static override args = { name: Args.string({ description: 'class name', required: true }) };
  static override flags = {
    listen: Flags.string({ description: `HOST:PORT to listen on (default: where this class listened last, else 127.0.0.1:${DEFAULT_CLASS_PORT}); beyond loopback, it says what that exposes` }),
    db: classDbFlag(),
    record: Flags.boolean({ description: "keep a replay of every student's terminals, engine trace and checks in the class database (capped per seat; their page says so); without it a terminal is sent only while the teacher watches it", default: false }),
    'dead-after': Flags.string({ description: "a student's seat shows dead (red) when their boxlab has been silent this long (e.g. 90s, 2m; default 60s; kept for the class)" }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ClassServe);
    const store = new ClassStore(flags.db);
    const cls = store.get(args.name);
    if (flags['dead-after'] !== undefined) store.setDeadAfter(cls.name, deadAfterMs(flags['dead-after']));
    const listen = parseListen(flags.listen ?? cls.listen ?? `127.0.0.1:${DEFAULT_CLASS_PORT}`);
    for (const line of exposureNotice(listen)) this.logToStderr(line);
    const log = (l: string) => this.log(`${new Date().toISOString().slice(11, 19)} ${l}`);
    // hosted seats: the pages of the seats bound before a restart open again, then the pool fills
    const hosted = await hostedSeatsFor(store, cls.name, listen.host, pickLang(), log);
    const server = await startClassServer({ store, className: cls.name, host: listen.host, port: listen.port, lang: pickLang(), record: flags.record, log, ...(hosted ? { hosted } : {}) }).catch(async (err: unknown) => {
      await hosted?.close();
      store.close();
      if (!portInUseError(err, listen.host, listen.port)) throw err;
      throw failedPrecondition(`port ${listen.port} on ${listen.host} is already in use`, {
        cause: err,
        suggestions: [`another address: --listen ${formatListen({ ...listen, port: listen.port + 1 })} (students then join that one), or --listen ${listen.host}:0 for any free port`, `see which program holds it: ss -ltnp 'sport = :${listen.port}'`],
      });
    });
    // port 0 asked for any port: the one it got is the one students were given, keep that
    store.setListen(cls.name, formatListen({ host: listen.host, port: server.port }));
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().finally(() => {
          store.close();
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
    const external = Object.values(os.networkInterfaces())
      .flatMap((l) => l ?? [])
      .filter((i) => i.family === 'IPv4' && !i.internal)
      .map((i) => `http://${i.address}:${server.port}`);
    this.log(`class ${cls.name} is served at ${server.url}${wildcard && external.length > 0 ? ` (from other machines: ${external.join(', ')})` : ''}`);
    if (cls.closedAt) this.log(`the class is closed (${cls.closedAt}): no one can join or report; status and export still work`);
    else {
      const code = store.liveCode(cls.name) ?? store.newCode(cls.name);
      this.log(`join code: ${formatCode(code)}`);
      this.log(`students run: boxlab class join ${wildcard && external.length > 0 ? external[0] : server.url} --code ${code.code} --name "<their name>"`);
    }
    if (hosted && !cls.closedAt) {
      this.log(`students with only a browser open ${wildcard && external.length > 0 ? external[0] : server.url}/join (hosted seats)`);
      log('filling the warm pool of hosted sandboxes...');
      void hosted.fill().then(() => {
        const { ready, wanted } = hosted.warm();
        log(ready >= wanted ? 'the warm pool is full' : `the warm pool has ${ready} of ${wanted} sandboxes ready: the lines above say why; it is filled again every few seconds`);
      });
    }
    this.log(`teacher page (the live grid; keep this address to yourself): ${server.teacherUrl}`);
    this.log(`a student's seat shows dead on the grid when their boxlab is silent for ${formatDuration(store.deadAfterMs(cls.name))} (--dead-after)`);
    if (flags.record) this.log("recording: each student's terminals, engine trace and checks are kept for replay (the teacher page's replay; up to 1 MB a seat)");
    this.log('press Ctrl-C to stop (the class stays in the database: serve it again to carry on)');
    await stopped;
  }
}
