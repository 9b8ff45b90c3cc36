// boxlabd inside the QEMU sandbox, without the CLI framework: the image builder bundles this file with
// esbuild into /opt/boxlab/boxlabd.mjs (one file instead of hundreds of modules), because under TCG
// every module load costs ~15x what it costs on the host. Same engine as `boxlab engine start`.
// usage: node boxlabd.mjs <socket> <root>
import { readFileSync } from 'node:fs';
import { createLogger } from '../../dist/src/core/logger.js';
import { Engine } from '../../dist/src/engine/engine.js';

const uptime = () => readFileSync('/proc/uptime', 'utf8').split(' ')[0];
const log = createLogger('info');
log.info(`boot: engine code loaded at uptime ${uptime()} s`);
const [socketPath = '/run/boxlab/docker.sock', root = '/var/lib/boxlab'] = process.argv.slice(2);
const engine = await Engine.start({ root, socketPath, log });
log.info(`boot: engine listening at uptime ${uptime()} s`);
process.stdout.write(`boxlabd listening on unix://${engine.listening.socketPath} (root ${engine.paths.root})\n`);
const stop = () => engine.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
