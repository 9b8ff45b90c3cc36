// `boxlab serve`: the web page a student uses (catalog, lab instructions, a terminal into the sandbox,
// checks, the engine's "under the hood" trace). Binds 127.0.0.1 and requires the printed token. Thin:
// flags -> serve() from web/, then waits for Ctrl-C.
import { Flags } from '@oclif/core';
import path from 'node:path';
import { pickLang } from '../../core/lang.js';
import { DEFAULT_ENGINE_ROOT } from '../../core/paths.js';
import { openInBrowser, serveAtRememberedAddress } from '../../web/serve.js';
import { boxlabHome } from '../../vm/vm-home.js';
import { BaseCommand } from '../base-command.js';
import { socketFlag } from '../flags.js';
import { labContext, labGuest, providerFlag, vmFlag } from '../lab-context.js';
import { portInUseError } from '../port-in-use.js';
import { isProviderName } from '../../vm/provider-registry.js';
import { openSandbox, type SandboxSession } from '../../vm/sandbox-session.js';
import { VmService } from '../../vm/vm-service.js';

export default class Serve extends BaseCommand {
  static override description = 'open the boxlab web page: labs, a terminal into the sandbox, checks and the engine trace';
  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --port 8080 --no-open --lang zh'];
  static override flags = {
    port: Flags.integer({ description: 'port to listen on (default: the one of the last run if it is free; 0: any free one)', min: 0, max: 65535 }),
    host: Flags.string({ description: 'address to listen on; anything but 127.0.0.1 exposes a root shell to the network (token-protected)', default: '127.0.0.1' }),
    open: Flags.boolean({ description: 'open the page in a browser', default: true, allowNo: true }),
    provider: providerFlag(),
    vm: vmFlag(),
    socket: socketFlag(),
    'engine-root': Flags.string({ description: "state folder of the engine serve starts when none answers (provider local)", default: DEFAULT_ENGINE_ROOT }),
    lang: Flags.string({ description: 'language of the page', options: ['en', 'zh'] }),
    labs: Flags.string({ description: 'folder that holds the labs', env: 'BOXLAB_LABS' }),
    'new-token': Flags.boolean({ description: 'replace the token kept from the last run (old links stop working)', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    if (flags.host !== '127.0.0.1' && flags.host !== 'localhost' && flags.host !== '::1') {
      this.warn(`listening on ${flags.host}: anyone who can reach this address and has the token gets a root shell in the sandbox`);
    }
    const bin = path.join(this.config.root, 'bin', 'run.js');
    // a vm provider: the sandbox comes up (or is reused), its shell and engine socket reached over ssh
    let sandbox: SandboxSession | undefined;
    if (flags.provider !== 'local' && isProviderName(flags.provider)) {
      const svc = new VmService({ progress: (l) => this.logToStderr(l) });
      sandbox = await openSandbox(svc, { vm: flags.vm, provider: flags.provider, spec: { cpus: 2, memoryMiB: 1024 }, progress: (l) => this.logToStderr(l) });
    }
    const serving = await serveAtRememberedAddress({
      stateFile: path.join(boxlabHome(), 'serve.json'),
      newToken: flags['new-token'],
      host: flags.host,
      port: flags.port,
      lang: pickLang(flags.lang),
      socket: sandbox?.socket ?? flags.socket,
      provider: flags.provider,
      guest: sandbox?.guest ?? labGuest(flags.provider),
      labs: labContext(flags),
      nodeAddress: async (node) => (await new VmService().inspect(node))?.peers?.[node],
      engineStartCommand: [process.execPath, bin, 'engine', 'start', '--socket', flags.socket, '--root', flags['engine-root']],
    }).catch(async (err: unknown) => {
      await sandbox?.close();
      throw portInUseError(err, flags.host, flags.port ?? 0) ?? err;
    });
    // Ctrl-C is ours before the address shows: one pressed the moment it appears still stops the engine
    // child and the sandbox's connection cleanly (without a handler, Node would just die)
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        serving
          .close()
          .then(() => sandbox?.close())
          .then(() => {
            if (sandbox) this.log(`the page is stopped; the sandbox vm "${sandbox.vm}" keeps running with your labs. Stop it with: boxlab vm stop ${sandbox.vm}`);
          })
          .then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    for (const note of serving.notes) this.log(note);
    if (flags.open && !openInBrowser(serving.url)) this.log('no desktop browser found to open the page: open the address below in yours');
    this.log(sandbox ? `press Ctrl-C to stop the page (the sandbox vm "${sandbox.vm}" keeps running)` : 'press Ctrl-C to stop');
    // last, so it is what the eye finds: the address (and, listening on all addresses, the ones others can reach)
    this.log('');
    this.log(`  boxlab is ready: ${serving.urls[0]}`);
    for (const url of serving.urls.slice(1)) this.log(`  from other machines: ${url}`);
    this.log('');
    await stopped;
  }
}
