// boxlabd inside the QEMU sandbox, without the CLI framework: the image builder bundles this file with
// esbuild into /opt/boxlab/boxlabd.cjs (one file instead of hundreds of modules, because under TCG every
// module load costs ~15x what it costs on the host) and boxlabd-loader.cjs starts it with V8's code cache.
// Same engine as `boxlab engine start`. Init starts it early, while the kernel modules load: with
// BOXLAB_START_AFTER=<file> it loads its code, then waits for that file before it touches iptables.
import { readFileSync } from 'node:fs';
import { createLogger } from '../../dist/src/core/logger.js';
import { waitForFile } from '../../dist/src/core/wait-for-file.js';
import { Engine } from '../../dist/src/boxlabd.js';
import { installLastResort } from '../../dist/src/engine/last-resort.js';

const uptime = () => readFileSync('/proc/uptime', 'utf8').split(' ')[0];

/** argv: <socket> <root> */
export async function main(argv) {
  const [socketPath = '/run/boxlab/docker.sock', root = '/var/lib/boxlab'] = argv;
  const log = createLogger('info');
  installLastResort(log); // as `boxlab engine start`: a failure no request caught is logged, not a silent exit
  const nodeMs = process.env.BOXLAB_LOADER_STARTED_MS ?? '?';
  log.info(`boot: engine code loaded at uptime ${uptime()} s (node started its loader after ${nodeMs} ms, code loaded after ${Math.round(performance.now())} ms)`);
  if (process.env.BOXLAB_START_AFTER) await waitForFile(process.env.BOXLAB_START_AFTER, { pollMs: 20 });
  const engine = await Engine.start({ root, socketPath, log });
  log.info(`boot: engine listening at uptime ${uptime()} s`);
  process.stdout.write(`boxlabd listening on unix://${engine.listening.socketPath} (root ${engine.paths.root})\n`);
  const stop = () => engine.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
