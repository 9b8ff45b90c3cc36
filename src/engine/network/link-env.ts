// Legacy links (`docker run --link db:alias`) as environment variables, the part of a link that is not the
// /etc/hosts line (hosts-sync.ts). As dockerd's daemon/links does, the linking container's process gets,
// at each start: <ALIAS>_PORT (the first exposed port, TCP first), for every port the target exposes
// <ALIAS>_PORT_<n>_<PROTO> and its _ADDR, _PORT and _PROTO (and _START/_END for a run of consecutive
// ports), <ALIAS>_NAME=/<container>/<alias>, and <ALIAS>_ENV_<var> for each variable of the target but
// HOME and PATH. The values are copied into the process's environment: when the target restarts with a
// new address, /etc/hosts follows it, the variables of the running process do not. Pure.
import { failedPrecondition } from '../../core/errors.js';
import { parseLink } from './hosts-entries.js';

export interface LinkTarget {
  /** the target's address on the default bridge */
  ip: string;
  env: readonly string[];
  /** ExposedPorts keys: "5432/tcp", "53/udp" */
  exposedPorts: readonly string[];
}

interface Port {
  num: number;
  proto: string;
}

function parsePort(key: string): Port {
  const [num, proto = 'tcp'] = key.split('/');
  return { num: Number(num), proto: proto.toLowerCase() };
}

/** TCP before other protocols, then by number (dockerd's withTCPPriority) */
function byTcpFirst(a: Port, b: Port): number {
  if (a.proto !== b.proto) {
    if (a.proto === 'tcp') return -1;
    if (b.proto === 'tcp') return 1;
    return a.proto < b.proto ? -1 : 1;
  }
  return a.num - b.num;
}

/** the variables for one link; `name` is Docker's link name, /<linking container>/<alias> */
export function linkEnv(name: string, target: LinkTarget): string[] {
  const alias = name.slice(name.lastIndexOf('/') + 1).toUpperCase().replaceAll('-', '_');
  const ports = target.exposedPorts.map(parsePort).filter((p) => Number.isInteger(p.num) && p.num > 0).sort(byTcpFirst);
  const env: string[] = [];
  const url = (p: Port) => `${p.proto}://${target.ip}:${p.num}`;
  let start: Port | undefined;
  let end: Port | undefined;
  for (const [i, p] of ports.entries()) {
    if (i === 0) {
      start = end = p;
      env.push(`${alias}_PORT=${url(p)}`);
    }
    const prefix = `${alias}_PORT_${p.num}_${p.proto.toUpperCase()}`;
    env.push(`${prefix}=${url(p)}`, `${prefix}_ADDR=${target.ip}`, `${prefix}_PORT=${p.num}`, `${prefix}_PROTO=${p.proto}`);
    if (end && p.num === end.num + 1 && p.proto === end.proto) {
      end = p;
      if (i < ports.length - 1) continue;
    }
    if (start && end && end !== start) {
      const first = `${alias}_PORT_${start.num}_${start.proto.toUpperCase()}`;
      env.push(`${first}_START=${url(start)}`, `${first}_PORT_START=${start.num}`, `${first}_END=${url(end)}`, `${first}_PORT_END=${end.num}`);
    }
    start = end = p;
  }
  env.push(`${alias}_NAME=${name}`);
  for (const kv of target.env) {
    const eq = kv.indexOf('=');
    if (eq < 0) continue;
    const key = kv.slice(0, eq);
    if (key === 'HOME' || key === 'PATH') continue;
    env.push(`${alias}_ENV_${key}=${kv.slice(eq + 1)}`);
  }
  return env;
}

export interface LinkedContainer {
  Id: string;
  Name: string;
  running: boolean;
  env: readonly string[];
  exposedPorts: readonly string[];
}

/**
 * the variables of every --link of the container `self` (its name without the slash), in order; a target
 * that is not running refuses the start with dockerd's words. `ipOf` gives a target's default-bridge address.
 */
export async function linksEnv(
  self: string,
  links: readonly string[],
  containerOf: (ref: string) => Promise<LinkedContainer>,
  ipOf: (containerId: string) => string | undefined,
): Promise<string[]> {
  const env: string[] = [];
  for (const link of links) {
    const { target, alias } = parseLink(link);
    const name = `/${self}/${alias}`;
    const c = await containerOf(target);
    if (!c.running) throw failedPrecondition(`Cannot link to a non running container: ${c.Name} AS ${name}`, { suggestions: [`start it first: docker start ${c.Name.replace(/^\//, '')}`] });
    env.push(...linkEnv(name, { ip: ipOf(c.Id) ?? '', env: c.env, exposedPorts: c.exposedPorts }));
  }
  return env;
}
