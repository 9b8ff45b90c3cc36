// The versions of the programs that run containers, as `docker version` (runc, docker-init components)
// and `docker info` (runc version, init version) show them. dockerd runs `runc --version` and
// `docker-init --version` and reads them with the same rules (daemon/info_unix.go parseRuncVersion,
// parseInitVersion). Pure: tested on recorded outputs in test/fixtures/outputs/host/.

export interface ToolVersion {
  /** e.g. "1.1.5+ds1" */
  version: string;
  /** the packager's or git's commit, e.g. "1.1.5+ds1-1+deb12u1"; "" when the program does not say */
  commit: string;
}

/**
 * `runc --version`:
 *   runc version 1.1.5+ds1
 *   commit: 1.1.5+ds1-1+deb12u1
 *   spec: 1.0.2-dev
 * -> { version: "1.1.5+ds1", commit: "1.1.5+ds1-1+deb12u1" }; undefined for an output of another shape
 */
export function parseRuncVersion(output: string): ToolVersion | undefined {
  let version = '';
  let commit = '';
  for (const line of output.trim().split('\n')) {
    if (line.startsWith('runc version')) version = line.slice('runc version'.length).trim();
    else if (line.startsWith('commit:')) commit = line.slice('commit:'.length).trim();
  }
  return version || commit ? { version, commit } : undefined;
}

/**
 * `docker-init --version` (tini): "tini version 0.19.0 - git.de40ad0" upstream, "tini version 0.19.0"
 * from Debian's package -> { version: "0.19.0", commit: "de40ad0" or "" }; undefined for another shape
 */
export function parseInitVersion(output: string): ToolVersion | undefined {
  const [head, tail] = output.trim().split(' - ');
  const git = tail?.trim().split('.');
  const commit = git?.length === 2 && git[0] === 'git' ? git[1] : '';
  const version = head.startsWith('tini version ') ? head.slice('tini version '.length).trim() : '';
  return version || commit ? { version, commit } : undefined;
}
