// Where the engine answers: dockerd's `-H`/`hosts` values (opts.ParseHost). `unix:///run/x.sock` is a unix
// socket (the docker CLI's default transport; who may open the file may run containers, i.e. be root);
// `tcp://127.0.0.1:2376` a TCP port, without TLS as open as the socket but to a whole network. A bare
// "host:port" is TCP; a TCP address without a port gets 2375, or 2376 when TLS is on (Docker's ports).
// dockerd's fd:// (sockets handed over by systemd) and npipe:// (Windows) are not for boxlab. Pure.

export type ListenAddress = { proto: 'unix'; path: string } | { proto: 'tcp'; host: string; port: number };

export const DOCKER_PORT = 2375;
export const DOCKER_TLS_PORT = 2376;

export function parseDaemonHost(value: string, options: { tls: boolean; defaultSocket: string }): ListenAddress {
  const trimmed = value.trim();
  const [proto, rest] = trimmed.includes('://') ? [trimmed.slice(0, trimmed.indexOf('://')), trimmed.slice(trimmed.indexOf('://') + 3)] : ['tcp', trimmed];
  if (trimmed === '') return { proto: 'unix', path: options.defaultSocket };
  if (proto === 'unix') {
    if (rest !== '' && !rest.startsWith('/')) throw new Error(`Invalid bind address format: ${value}: a unix socket needs an absolute path, such as unix:///run/boxlab/docker.sock`);
    return { proto: 'unix', path: rest || options.defaultSocket };
  }
  if (proto === 'fd') throw new Error(`${value}: boxlab does not take sockets from systemd (fd://): give unix:///path or tcp://host:port`);
  if (proto !== 'tcp') throw new Error(`Invalid bind address format: ${value}: expected unix:///path or tcp://host:port`);
  if (rest === '') throw new Error(`Invalid proto, expected tcp: ${value}`);
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/[\]]*)(?::(\d*))?\/?$/.exec(rest);
  if (!m) throw new Error(`Invalid bind address format: ${value}: expected tcp://host:port, such as tcp://127.0.0.1:${options.tls ? DOCKER_TLS_PORT : DOCKER_PORT}`);
  const host = m[1].replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = m[2] ? Number(m[2]) : options.tls ? DOCKER_TLS_PORT : DOCKER_PORT;
  if (port > 65535) throw new Error(`Invalid bind address format: ${value}: port ${port} is above 65535`);
  return { proto: 'tcp', host, port };
}

/** "unix:///run/boxlab/docker.sock", "tcp://127.0.0.1:2376": the DOCKER_HOST a client uses */
export function listenUrl(address: ListenAddress): string {
  if (address.proto === 'unix') return `unix://${address.path}`;
  return `tcp://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
