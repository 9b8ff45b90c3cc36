// How Docker finds a container from what the user typed: the exact id, then the exact name ("web" or
// "/web"), then a unique id prefix. Pure over the (id, name) pairs the store knows.
import { invalidArgument, notFound } from '../../core/errors.js';

export interface Named {
  Id: string;
  /** "/web" */
  Name: string;
}

export function resolveRef(ref: string, containers: readonly Named[]): string {
  const noSuch = () => notFound(`No such container: ${ref}`, { suggestions: ['list containers with: docker ps -a'] });
  if (ref === '') throw noSuch();
  const exact = containers.find((c) => c.Id === ref);
  if (exact) return exact.Id;
  const name = ref.startsWith('/') ? ref : `/${ref}`;
  const byName = containers.find((c) => c.Name === name);
  if (byName) return byName.Id;
  if (!/^[0-9a-f]+$/.test(ref)) throw noSuch();
  const matches = containers.filter((c) => c.Id.startsWith(ref));
  if (matches.length === 1) return matches[0].Id;
  if (matches.length > 1) throw invalidArgument(`multiple IDs found with provided prefix: ${ref}`, { suggestions: ['type more characters of the id, or use the name'] });
  throw noSuch();
}

/** Docker's name conflict error (409), or undefined when the name is free */
export function nameConflict(name: string, containers: readonly Named[], exceptId?: string): string | undefined {
  const full = name.startsWith('/') ? name : `/${name}`;
  const owner = containers.find((c) => c.Name === full && c.Id !== exceptId);
  if (!owner) return undefined;
  return `Conflict. The container name "${full}" is already in use by container "${owner.Id}". You have to remove (or rename) that container to be able to reuse that name.`;
}
