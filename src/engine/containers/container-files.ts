// Every file of one container, in EnginePaths.containers/<id>/ (docs/internals.md lists them):
//   container.json   the record (atomic writes)      config.json   the OCI bundle's runtime spec
//   <id>-json.log    json-file log                    stdin/stdout/stderr/ack   fifos between shim and engine
//   exit             runc's exit status (the shim)    init.pid      the container's pid (runc --pid-file)
//   runc.log         runc's own log (json)            tty           name of the terminal `script` made (tty containers)
//   hostname, hosts, resolv.conf   bind-mounted into /etc
//   trace.jsonl      trace events                     exec-<id>.json   process.json of a `docker exec`
import path from 'node:path';

export interface ContainerPaths {
  dir: string;
  record: string;
  bundle: string;
  spec: string;
  log: string;
  stdin: string;
  stdout: string;
  stderr: string;
  ack: string;
  exitFile: string;
  pidFile: string;
  runcLog: string;
  ttyFile: string;
  hostname: string;
  hosts: string;
  resolvConf: string;
  trace: string;
}

export function containerPaths(containersDir: string, id: string): ContainerPaths {
  const dir = path.join(containersDir, id);
  const f = (name: string) => path.join(dir, name);
  return {
    dir,
    record: f('container.json'),
    bundle: dir,
    spec: f('config.json'),
    log: f(`${id}-json.log`),
    stdin: f('stdin'),
    stdout: f('stdout'),
    stderr: f('stderr'),
    ack: f('ack'),
    exitFile: f('exit'),
    pidFile: f('init.pid'),
    runcLog: f('runc.log'),
    ttyFile: f('tty'),
    hostname: f('hostname'),
    hosts: f('hosts'),
    resolvConf: f('resolv.conf'),
    trace: f('trace.jsonl'),
  };
}

export function execProcessFile(containersDir: string, id: string, execId: string): string {
  return path.join(containersDir, id, `exec-${execId}.json`);
}
