// `docker run busybx` with no network: dockerd answers "pull access denied ... dial tcp: lookup ... no such
// host", which a student reads as "my network is broken" when the real mistake is the name. boxlab keeps
// Docker's first words (the notes and the docker CLI's own output show them) and then says what happened
// here: no such image on this machine, the registry could not be asked, and the local image nearest to
// the name. A deliberate difference from dockerd, documented in docs/architecture.md.
import { closest } from '../../core/closest.js';

export interface OfflinePull {
  /** the repository as the user wrote it, familiar form ("busybx") */
  repo: string;
  /** "busybx:latest" */
  wanted: string;
  /** the registry host that could not be reached */
  registry: string;
  /** why (the connection error) */
  reason: string;
  /** the local images' names, "busybox:latest" */
  localNames: string[];
}

/** the message of the error, and the suggestions boxlab's CLI prints after it */
export function offlinePullMessage(p: OfflinePull): { message: string; suggestions: string[] } {
  const repoOf = (name: string) => name.replace(/:[^:/]*$/, '');
  // a typo in the name ("busybx:latest"), or the right name with a tag that is not here ("busybox:1.36")
  const nearRepos = closest(p.repo, p.localNames.map(repoOf));
  const near = [...closest(p.wanted, p.localNames), ...p.localNames.filter((n) => nearRepos.includes(repoOf(n)))];
  const named = [...new Set(near)].slice(0, 3);
  const guess = named.length > 0 ? `; did you mean ${named.join(' or ')}?` : '; docker images lists the images here';
  return {
    message:
      `pull access denied for ${p.repo}, repository does not exist or may require 'docker login': ` +
      `there is no image ${p.wanted} on this machine, and the registry ${p.registry} cannot be reached to look for it (${p.reason})${guess}`,
    suggestions: [...named.map((n) => `use the local image: docker run ${n} ...`), 'list local images with: docker images', 'offline? start the local mirror (boxlab mirror start) and pull again'],
  };
}
