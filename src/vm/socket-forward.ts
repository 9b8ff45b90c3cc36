// docker-env: the host's docker CLI talks to boxlabd inside the VM through a unix socket on the host
// whose every connection becomes an SSH "direct-streamlocal" channel to /run/boxlab/docker.sock in the
// guest (what `ssh -L local.sock:/run/boxlab/docker.sock` does). Nothing listens on TCP.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface UnixStreamOpener {
  openUnixStream(remotePath: string): Promise<Duplex>;
}

export async function forwardUnixSocket(opener: UnixStreamOpener, remotePath: string, localPath: string): Promise<net.Server> {
  await fs.rm(localPath, { force: true });
  // allowHalfOpen: the docker CLI shuts its write side once the request (or stdin) is sent and still
  // reads the answer (`docker run` attaches that way); Node would otherwise end the connection at once
  const server = net.createServer({ allowHalfOpen: true }, (local) => {
    opener.openUnixStream(remotePath).then(
      (remote) => {
        local.pipe(remote).pipe(local);
        const end = () => {
          local.destroy();
          remote.destroy();
        };
        local.on('error', end);
        remote.on('error', end);
        local.on('close', end);
        remote.on('close', end);
      },
      () => local.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPath, () => resolve());
  });
  await fs.chmod(localPath, 0o600);
  return server;
}
