// Finds the init binary for `docker run --init` on the host: Docker's docker-init (tini, from the
// docker.io package), or tini itself. The container service passes the result to buildSpec as initPath.
import { promises as fs } from 'node:fs';

export const INIT_CANDIDATES = ['/usr/bin/docker-init', '/usr/libexec/docker/docker-init', '/usr/bin/tini-static', '/usr/bin/tini'];

export async function findInitBinary(candidates: readonly string[] = INIT_CANDIDATES): Promise<string | undefined> {
  for (const file of candidates) {
    try {
      // realpath: a bind mount of a symlink would mount the link's target anyway; name it in the spec
      const real = await fs.realpath(file);
      await fs.access(real, fs.constants.X_OK);
      return real;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
