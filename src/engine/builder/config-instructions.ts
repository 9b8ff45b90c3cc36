// The instructions that only change the image config (ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, USER, VOLUME,
// STOPSIGNAL, SHELL, HEALTHCHECK, ONBUILD, MAINTAINER), as one pure function: the builder uses it for
// Dockerfile steps and `docker commit --change` for its changes. Returns the history text Docker writes
// ("ENV A=b"), or undefined when the instruction is not a config-only one.
import { invalidArgument } from '../../core/errors.js';
import { formatGoDuration, parseGoDuration } from '../../core/go-time.js';
import { compactHealthcheck, mergeHealthcheck, MINIMUM_DURATION_NS } from '../containers/healthcheck-config.js';
import type { ContainerConfig, HealthConfig } from '../docker-model.js';
import { goQuote } from './parser/dockerfile-node.js';
import type { Instruction } from './instruction.js';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function setEnv(config: ContainerConfig, key: string, value: string): void {
  const env = (config.Env ?? []).filter((kv) => kv.split('=')[0] !== key);
  env.push(`${key}=${value}`);
  config.Env = env;
}

/**
 * HEALTHCHECK as the classic builder of dockerd 20.10 reads it (buildkit's instructions.parseHealthcheck):
 * NONE, or CMD with the command in exec or shell form; --interval, --timeout and --start-period at least
 * 1ms, --retries at least 1; a flag left out is 0 (the default when the container runs)
 */
export function parseHealthcheck(ins: Instruction): HealthConfig {
  const type = (ins.args[0] ?? '').toUpperCase();
  if (ins.args.length === 0) throw invalidArgument('HEALTHCHECK requires at least one argument', { suggestions: ['write HEALTHCHECK CMD <command>, or HEALTHCHECK NONE'] });
  if (type === 'NONE') {
    if (ins.args.length > 1) throw invalidArgument('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (type !== 'CMD') throw invalidArgument(`Unknown type ${JSON.stringify(type)} in HEALTHCHECK (try CMD)`);
  const rest = ins.args.slice(1);
  if (rest.length === 0) throw invalidArgument('Missing command after HEALTHCHECK CMD');
  const hc: HealthConfig = { Test: ins.json ? ['CMD', ...rest] : ['CMD-SHELL', rest.join(' ')] };
  const f = ins.flags;
  const interval = (flag: 'interval' | 'timeout' | 'start-period') => {
    const text = f[flag];
    if (!text) return 0;
    const nanos = parseGoDuration(text);
    if (nanos < MINIMUM_DURATION_NS) throw invalidArgument(`Interval ${JSON.stringify(flag)} cannot be less than 1ms`, { suggestions: [`e.g. --${flag}=5s`] });
    return nanos;
  };
  hc.Interval = interval('interval');
  hc.Timeout = interval('timeout');
  hc.StartPeriod = interval('start-period');
  hc.Retries = 0;
  if (f.retries) {
    if (!/^[+-]?\d+$/.test(f.retries)) throw invalidArgument(`strconv.ParseInt: parsing ${JSON.stringify(f.retries)}: invalid syntax`, { suggestions: ['--retries takes a whole number, e.g. --retries=3'] });
    const r = Number(f.retries);
    if (r < 1) throw invalidArgument(`--retries must be at least 1 (not ${r})`);
    hc.Retries = r;
  }
  return hc;
}

/** the history text dockerd writes: Go's %q of the *HealthConfig, `&{["CMD-SHELL" "true"] "5s" "0s" "0s" '\x03'}` */
export function healthcheckHistory(hc: HealthConfig): string {
  const d = (ns: number | undefined) => goQuote(formatGoDuration(ns ?? 0));
  const test = `[${(hc.Test ?? []).map(goQuote).join(' ')}]`;
  return `HEALTHCHECK &{${test} ${d(hc.Interval)} ${d(hc.Timeout)} ${d(hc.StartPeriod)} ${goQuoteRune(hc.Retries ?? 0)}}`;
}

/** Go's strconv.QuoteRune (what %q prints for an int): '\x03', 'A', '\n' */
function goQuoteRune(n: number): string {
  const inner = goQuote(String.fromCodePoint(n)).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${inner}'`;
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
    case 'healthcheck': {
      // the image keeps the parent's durations where this one leaves them 0: dockerd commits each step
      // through a container create, which merges the two (so NONE over a parent's check keeps its Interval)
      const hc = parseHealthcheck(ins);
      config.Healthcheck = compactHealthcheck(mergeHealthcheck(hc, config.Healthcheck) ?? hc);
      return healthcheckHistory(hc);
    }
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
