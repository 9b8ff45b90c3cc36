// `boxlab engine start`: runs boxlabd in the foreground, serving the Docker Engine API so the real docker
// CLI can talk to it (export DOCKER_HOST=unix://<socket>). SIGTERM/SIGINT stop the engine; containers keep
// running and are picked up again by the next start.
import { Flags } from '@oclif/core';
import { invalidArgument } from '../../../core/errors.js';
import { createLogger, isLogLevel, LOG_LEVELS } from '../../../core/logger.js';
import { DEFAULT_ENGINE_ROOT, DEFAULT_ENGINE_SOCKET } from '../../../core/paths.js';
import { Engine } from '../../../boxlabd.js';
import { installLastResort } from '../../../engine/last-resort.js';
import { BaseCommand } from '../../base-command.js';

/** the longest a stop may take before the process exits anyway (a test harness waits 10 s) */
const STOP_BOUND_MS = 8_000;

export default class EngineStart extends BaseCommand {
  static override description = 'run boxlabd (the container engine) in the foreground, serving the Docker API on a unix socket';
  static override examples = [
    '<%= config.bin %> engine start',
    '<%= config.bin %> engine start --socket /tmp/boxlab.sock --root /tmp/boxlab-root --log-level debug',
  ];
  static override flags = {
    socket: Flags.string({ description: 'the unix socket to serve the Docker API on', default: DEFAULT_ENGINE_SOCKET }),
    root: Flags.string({ description: "the engine's state folder", default: DEFAULT_ENGINE_ROOT }),
    tcp: Flags.string({ description: 'also listen on host:port (no TLS, no auth: use 127.0.0.1)' }),
    'log-level': Flags.string({ description: 'what to log on stderr', options: [...LOG_LEVELS], default: 'info' }),
    'bridge-name': Flags.string({ description: "the default bridge network's Linux bridge (default boxlab0; another root gets its own)" }),
    'bridge-subnet': Flags.string({ description: "the default bridge network's subnet (default 172.17.0.0/16; another root gets a 10.x /24)" }),
    'registry-mirror': Flags.string({ description: 'a docker.io mirror to try first, e.g. http://127.0.0.1:5000 (boxlab mirror start); repeatable', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineStart);
    const level = flags['log-level'];
    if (!isLogLevel(level)) throw invalidArgument(`invalid log level "${level}": expected ${LOG_LEVELS.join(', ')}`);
    if (process.getuid?.() !== 0) this.warn('boxlabd needs root for mounts, cgroups and runc');
    const log = createLogger(level);
    installLastResort(log);
    const engine = await Engine.start({ root: flags.root, socketPath: flags.socket, tcp: flags.tcp, log, registryMirrors: flags['registry-mirror'], bridgeName: flags['bridge-name'], bridgeSubnet: flags['bridge-subnet'] });
    this.log(`boxlabd listening on unix://${engine.listening.socketPath} (root ${engine.paths.root})`);
    if (engine.listening.tcp) this.log(`boxlabd listening on tcp://${engine.listening.tcp.host}:${engine.listening.tcp.port}`);
    this.log(`use it with: export DOCKER_HOST=unix://${engine.listening.socketPath}`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        log.info(`${signal}: stopping`);
        // a stop that hangs (a disk that does not answer, a stuck tool) must not keep boxlabd alive
        setTimeout(() => {
          log.error(`stop did not finish within ${STOP_BOUND_MS / 1000} s: exiting`);
          process.exit(1);
        }, STOP_BOUND_MS).unref();
        engine.stop().then(resolve, (err) => {
          log.error(`stop failed: ${(err as Error).message}`);
          resolve();
        });
      };
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
    });
    // stopped: a handle some part forgot to close (a fifo, a watch) must not keep the process running
    setTimeout(() => {
      log.warn('handles still open after the stop: exiting anyway');
      process.exit(0);
    }, 1000).unref();
  }
}
