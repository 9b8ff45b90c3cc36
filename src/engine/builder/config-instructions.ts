// The instructions that only change the image config (ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, USER, VOLUME,
// STOPSIGNAL, SHELL, HEALTHCHECK, ONBUILD, MAINTAINER), as one pure function: the builder uses it for
// Dockerfile steps and `docker commit --change` for its changes. Returns the history text Docker writes
// ("ENV A=b"), or undefined when the instruction is not a config-only one.
import { invalidArgument } from '../../core/errors.js';
import { tryGoDuration } from '../../core/go-time.js';
import type { ContainerConfig } from '../docker-model.js';
import type { Instruction } from './instruction.js';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Docker's duration flags (--interval=30s) in nanoseconds: Go's time.ParseDuration, as the Dockerfile parser uses */
export function parseDuration(text: string, flag: string): number {
  const nanos = tryGoDuration(text);
  if (nanos === undefined || nanos < 0) throw invalidArgument(`--${flag}: invalid duration "${text}": expected e.g. 30s, 1m30s`);
  return nanos;
}

export function setEnv(config: ContainerConfig, key: string, value: string): void {
  const env = (config.Env ?? []).filter((kv) => kv.split('=')[0] !== key);
  env.push(`${key}=${value}`);
  config.Env = env;
}

function healthcheck(ins: Instruction): Record<string, unknown> {
  const type = (ins.args[0] ?? '').toUpperCase();
  if (type === 'NONE') {
    if (ins.args.length > 1) throw invalidArgument('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (type !== 'CMD') throw invalidArgument(`Unknown type "${ins.args[0] ?? ''}" in HEALTHCHECK (try CMD)`);
  const rest = ins.args.slice(1);
  if (rest.length === 0) throw invalidArgument('Missing command after HEALTHCHECK CMD');
  const hc: Record<string, unknown> = { Test: ins.json ? ['CMD', ...rest] : ['CMD-SHELL', rest[0]!] };
  const f = ins.flags;
  if (f.interval) hc.Interval = parseDuration(f.interval, 'interval');
  if (f.timeout) hc.Timeout = parseDuration(f.timeout, 'timeout');
  if (f['start-period']) hc.StartPeriod = parseDuration(f['start-period'], 'start-period');
  if (f['start-interval']) hc.StartInterval = parseDuration(f['start-interval'], 'start-interval');
  if (f.retries) {
    const r = Number(f.retries);
    if (!Number.isInteger(r) || r < 0) throw invalidArgument(`--retries must be a whole number, found "${f.retries}"`);
    hc.Retries = r;
  }
  return hc;
}

/**
 * applies ins to config (mutating it). word expands variables; cmdSetInStage tells ENTRYPOINT whether this
 * stage set CMD itself (if not, Docker resets the base image's CMD).
 */
export function applyConfigInstruction(
  config: ContainerConfig,
  ins: Instruction,
  word: (w: string) => string,
  options: { cmdSetInStage: boolean } = { cmdSetInStage: true },
): string | undefined {
  const NAME = ins.cmd.toUpperCase();
  switch (ins.cmd) {
    case 'env':
    case 'label': {
      const pairs: string[] = [];
      for (let i = 0; i < ins.args.length; i += 3) {
        const k = word(ins.args[i]!);
        const v = word(ins.args[i + 1] ?? '');
        if (k === '') throw invalidArgument(`${NAME} names can not be blank`);
        if (ins.cmd === 'env') setEnv(config, k, v);
        else config.Labels = { ...(config.Labels ?? {}), [k]: v };
        pairs.push(`${k}=${v}`);
      }
      if (pairs.length === 0) throw invalidArgument(`${NAME} requires at least one argument, e.g. ${NAME} key=value`);
      return `${NAME} ${pairs.join(' ')}`;
    }
    case 'cmd':
    case 'entrypoint': {
      const args = ins.json ? ins.args : ins.args.length === 0 ? [] : [...(config.Shell ?? DEFAULT_SHELL), ins.args[0]!];
      if (ins.cmd === 'cmd') config.Cmd = args;
      else {
        config.Entrypoint = args;
        if (!options.cmdSetInStage) config.Cmd = null;
      }
      return `${NAME} ${JSON.stringify(args)}`;
    }
    case 'shell':
      if (!ins.json || ins.args.length === 0) throw invalidArgument('SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]');
      config.Shell = ins.args;
      return `SHELL ${JSON.stringify(ins.args)}`;
    case 'expose': {
      const ports = ins.args.map(word).map((p) => (p.includes('/') ? p.toLowerCase() : `${p}/tcp`));
      for (const p of ports) if (!/^\d+(-\d+)?\/(tcp|udp|sctp)$/.test(p)) throw invalidArgument(`invalid containerPort: ${p.split('/')[0]}`);
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}), ...Object.fromEntries(ports.map((p) => [p, {}])) };
      return `EXPOSE ${ports.join(' ')}`;
    }
    case 'volume': {
      const vols = ins.args.map(word).filter((v) => v.trim() !== '');
      if (vols.length === 0) throw invalidArgument('VOLUME specified can not be an empty string');
      config.Volumes = { ...(config.Volumes ?? {}), ...Object.fromEntries(vols.map((v) => [v, {}])) };
      return `VOLUME ${JSON.stringify(vols)}`;
    }
    case 'user':
      config.User = word(ins.args[0] ?? '');
      if (config.User === '') throw invalidArgument('USER requires a user name or uid, e.g. USER app or USER 1000:1000');
      return `USER ${config.User}`;
    case 'stopsignal':
      config.StopSignal = word(ins.args[0] ?? '');
      if (config.StopSignal === '') throw invalidArgument('STOPSIGNAL requires a signal, e.g. STOPSIGNAL SIGTERM');
      return `STOPSIGNAL ${config.StopSignal}`;
    case 'maintainer':
      return `MAINTAINER ${ins.args[0] ?? ''}`;
    case 'onbuild': {
      const trigger = ins.original.replace(/^onbuild\s+/i, '');
      config.OnBuild = [...(config.OnBuild ?? []), trigger];
      return `ONBUILD ${trigger}`;
    }
    case 'healthcheck':
      config.Healthcheck = healthcheck(ins);
      return `HEALTHCHECK ${JSON.stringify(config.Healthcheck)}`;
    case 'workdir': {
      const dir = word(ins.args[0] ?? '');
      if (dir === '') throw invalidArgument('WORKDIR requires a path, e.g. WORKDIR /app');
      config.WorkingDir = dir.startsWith('/') ? dir : `${(config.WorkingDir || '/').replace(/\/$/, '')}/${dir}`;
      return `WORKDIR ${config.WorkingDir}`;
    }
    default:
      return undefined;
  }
}
