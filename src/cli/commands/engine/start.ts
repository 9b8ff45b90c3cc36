// `boxlab engine start`: runs boxlabd in the foreground, serving the Docker Engine API so the real docker
// CLI can talk to it (export DOCKER_HOST=unix://<socket>). SIGTERM/SIGINT stop the engine; containers keep
// running and are picked up again by the next start.
// Its settings come from flags named as dockerd's (-H, --data-root, --tlsverify, --registry-mirror, ...)
// and from a configuration file in the shape of dockerd's daemon.json (--config-file, default
// /etc/boxlab/daemon.json when it exists), merged by src/engine/config/engine-config.ts.
import { Flags } from '@oclif/core';
import { createLogger } from '../../../core/logger.js';
import { Engine } from '../../../boxlabd.js';
import { readConfigFile, settingsFromFlags } from '../../../engine/config/command-line.js';
import { DEFAULT_CONFIG_FILE, resolveEngineConfig, type EngineConfig } from '../../../engine/config/engine-config.js';
import { installLastResort } from '../../../engine/last-resort.js';
import { BaseCommand } from '../../base-command.js';

/** the longest a stop may take before the process exits anyway (a test harness waits 10 s) */
const STOP_BOUND_MS = 8_000;

export default class EngineStart extends BaseCommand {
  static override description = 'run boxlabd (the container engine) in the foreground, serving the Docker API on a unix socket (and TCP with -H)';
  static override examples = [
    '<%= config.bin %> engine start',
    '<%= config.bin %> engine start --socket /tmp/boxlab.sock --root /tmp/boxlab-root --log-level debug',
    '<%= config.bin %> engine start --config-file ./daemon.json',
    '<%= config.bin %> engine start -H unix:///run/boxlab/docker.sock -H tcp://127.0.0.1:2376 --tlsverify --tlscacert ca.pem --tlscert server-cert.pem --tlskey server-key.pem',
  ];
  static override flags = {
    'config-file': Flags.string({ description: `the configuration file, in the shape of dockerd's daemon.json (default ${DEFAULT_CONFIG_FILE}, read if it exists)` }),
    socket: Flags.string({ description: 'the unix socket to serve the Docker API on (default /run/boxlab/docker.sock; the same as -H unix://<path>)' }),
    host: Flags.string({ char: 'H', description: 'where to answer, as dockerd: unix:///path or tcp://host:port; repeatable', multiple: true }),
    tcp: Flags.string({ description: 'also listen on host:port (the same as -H tcp://host:port)' }),
    'data-root': Flags.string({ aliases: ['root'], description: "the engine's state folder (default /var/lib/boxlab); --root is the same" }),
    debug: Flags.boolean({ char: 'D', description: 'debug mode: log at debug level; docker info shows Debug Mode: true' }),
    'log-level': Flags.string({ char: 'l', description: 'what to log on stderr (default info)', options: ['debug', 'info', 'warn', 'error', 'fatal'] }),
    tls: Flags.boolean({ description: 'speak TLS on the TCP ports (no client certificate asked; --tlsverify asks for one)' }),
    tlsverify: Flags.boolean({ description: 'speak TLS on the TCP ports and accept only clients with a certificate signed by --tlscacert' }),
    tlscacert: Flags.string({ description: 'the CA that signs client certificates (default ~/.docker/ca.pem)' }),
    tlscert: Flags.string({ description: "the server's certificate (default ~/.docker/cert.pem)" }),
    tlskey: Flags.string({ description: "the server certificate's key (default ~/.docker/key.pem)" }),
    'registry-mirror': Flags.string({ description: 'a docker.io mirror to try first, e.g. http://127.0.0.1:5000 (boxlab mirror start); repeatable', multiple: true }),
    'insecure-registry': Flags.string({ description: 'a registry to speak plain HTTP to, host:port; repeatable', multiple: true }),
    'log-driver': Flags.string({ description: 'the log driver of containers that name none: json-file (default) or none' }),
    'log-opt': Flags.string({ description: 'a default log option, e.g. max-size=10m; repeatable', multiple: true }),
    'default-ulimit': Flags.string({ description: 'a default ulimit for containers, e.g. nofile=1024:2048; repeatable', multiple: true }),
    bip: Flags.string({ description: "the default bridge's own address and prefix, e.g. 192.168.200.1/24" }),
    label: Flags.string({ description: 'a label of the engine, key=value, shown by docker info; repeatable', multiple: true }),
    dns: Flags.string({ description: "a name server for containers' resolv.conf when they set none (--dns); repeatable", multiple: true }),
    'dns-search': Flags.string({ description: "a search domain for containers' resolv.conf; repeatable", multiple: true }),
    'dns-opt': Flags.string({ description: "a resolv.conf option for containers, e.g. ndots:2; repeatable", multiple: true }),
    ip: Flags.string({ description: 'the host address -p publishes on when it names none (default 0.0.0.0)' }),
    mtu: Flags.integer({ description: "the default bridge's MTU, given to its containers' eth0 (default 1500)" }),
    icc: Flags.string({ description: 'whether containers on the default bridge reach each other (--icc=false: a DROP rule)', options: ['true', 'false'] }),
    'bridge-name': Flags.string({ description: "the default bridge network's Linux bridge (default boxlab0; another root gets its own)" }),
    'bridge-subnet': Flags.string({ description: "the default bridge network's subnet (default 172.17.0.0/16; another root gets a 10.x /24)" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineStart);
    const config = resolveEngineConfig(
      { settings: settingsFromFlags(flags), bridgeName: flags['bridge-name'], bridgeSubnet: flags['bridge-subnet'] },
      await readConfigFile(flags['config-file']),
    );
    if (process.getuid?.() !== 0) this.warn('boxlabd needs root for mounts, cgroups and runc');
    const log = createLogger(config.logLevel);
    installLastResort(log);
    const engine = await Engine.start(engineOptions(config, log));
    if (config.configFile) this.log(`boxlabd configuration: ${config.configFile}`);
    const tlsNote = config.tls ? (config.tls.verify ? ' (TLS, client certificates required)' : ' (TLS, no client certificates asked)') : '';
    engine.listening.urls.forEach((url, i) => this.log(`boxlabd listening on ${url}${url.startsWith('tcp://') ? tlsNote : ''}${i === 0 ? ` (root ${engine.paths.root})` : ''}`));
    const first = engine.listening.urls[0];
    this.log(`use it with: export DOCKER_HOST=${first}${first.startsWith('tcp://') && config.tls ? ` DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=<folder of ca.pem, cert.pem, key.pem>` : ''}`);
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

/** the engine's options from its configuration */
function engineOptions(config: EngineConfig, log: ReturnType<typeof createLogger>): Parameters<typeof Engine.start>[0] {
  return {
    root: config.dataRoot,
    hosts: config.hosts,
    tls: config.tls,
    debug: config.debug,
    log,
    registryMirrors: config.registryMirrors,
    insecureRegistries: config.insecureRegistries,
    bridgeName: config.bridge.name,
    bridgeSubnet: config.bridge.subnet,
    bridgeGateway: config.bridge.gateway,
    bridgeMtu: config.bridge.mtu,
    bridgeHostBindingIp: config.bridge.hostBindingIp,
    bridgeIcc: config.bridge.icc,
    labels: config.labels,
    containerDefaults: { logConfig: config.logConfig, ulimits: config.defaultUlimits, dns: config.dns },
  };
}
