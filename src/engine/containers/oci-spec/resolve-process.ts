// What the container runs: Docker's rules for merging the image's config with `docker run`'s.
// - command line = Entrypoint + Cmd; a request Entrypoint (even "") replaces the image's AND drops the
//   image's Cmd; a request Cmd alone replaces only the image's Cmd
// - Env: image first, the request's values win per variable; PATH gets a default, HOSTNAME is set
// - WorkingDir: request, else image, else "/"
import { invalidArgument } from '../../../core/errors.js';
import type { ContainerConfig } from '../../docker-model.js';
import { DEFAULT_PATH } from './default-spec.js';

export interface ResolvedProcess {
  entrypoint: string[];
  cmd: string[];
  /** entrypoint + cmd: process.args */
  args: string[];
  /** Config.Env as inspect shows it: image env merged with the request's */
  configEnv: string[];
  /** the process environment: configEnv plus PATH default, HOSTNAME and TERM for a tty */
  env: string[];
  cwd: string;
  /** the -u value to resolve (request, else image) */
  user: string;
}

const envKey = (kv: string) => {
  const i = kv.indexOf('=');
  return i < 0 ? kv : kv.slice(0, i);
};

/** later lists win per variable name, in first-seen order (Docker's ReplaceOrAppendEnvValues) */
export function mergeEnv(...lists: Array<readonly string[] | null | undefined>): string[] {
  const order: string[] = [];
  const values = new Map<string, string>();
  for (const list of lists) {
    for (const kv of list ?? []) {
      const key = envKey(kv);
      if (!values.has(key)) order.push(key);
      values.set(key, kv);
    }
  }
  return order.map((k) => values.get(k) as string);
}

/** adds HOME (from passwd) unless the env has one */
export function envWithHome(env: readonly string[], home: string): string[] {
  return env.some((kv) => envKey(kv) === 'HOME') ? [...env] : [...env, `HOME=${home || '/'}`];
}

export function resolveProcess(
  image: ContainerConfig,
  request: ContainerConfig,
  options: { hostname: string; tty?: boolean },
): ResolvedProcess {
  let entrypoint: string[];
  let cmd: string[];
  if (request.Entrypoint !== undefined && request.Entrypoint !== null && request.Entrypoint.length > 0) {
    // `--entrypoint ""` arrives as [""]: it means "no entrypoint"
    entrypoint = request.Entrypoint.length === 1 && request.Entrypoint[0] === '' ? [] : [...request.Entrypoint];
    cmd = [...(request.Cmd ?? [])];
  } else {
    entrypoint = [...(image.Entrypoint ?? [])];
    cmd = request.Cmd && request.Cmd.length > 0 ? [...request.Cmd] : [...(image.Cmd ?? [])];
  }
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) {
    throw invalidArgument('No command specified', { suggestions: ['give a command after the image name, e.g. `docker run busybox sh`'] });
  }
  const cwd = request.WorkingDir || image.WorkingDir || '/';
  if (!cwd.startsWith('/')) {
    throw invalidArgument(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);
  }
  const configEnv = mergeEnv(image.Env, request.Env);
  const hasPath = configEnv.some((kv) => envKey(kv) === 'PATH');
  const base = [...(hasPath ? [] : [`PATH=${DEFAULT_PATH}`]), `HOSTNAME=${options.hostname}`, ...(options.tty ? ['TERM=xterm'] : [])];
  const env = mergeEnv(base, configEnv);
  return { entrypoint, cmd, args, configEnv: hasPath ? configEnv : [`PATH=${DEFAULT_PATH}`, ...configEnv], env, cwd, user: request.User || image.User || '' };
}
