// `docker ps` selection: which containers show (running only unless -a), Docker's filters (status,
// name, id, label, ancestor, exited, health, volume), newest first, --last/limit. Pure over container records.
import { invalidArgument } from '../../core/errors.js';
import type { ContainerRecord } from './container-record.js';
import { CONTAINER_STATUSES, isActive } from './container-state.js';
import { HEALTH_FILTER_VALUES, healthFilterValue } from './health-state.js';

export const LIST_FILTERS = ['status', 'name', 'id', 'label', 'ancestor', 'exited', 'before', 'since', 'health', 'volume'] as const;

export interface ListSelection {
  all: boolean;
  limit?: number;
  filters: Record<string, string[]>;
}

/** does image ref/id `wanted` name this container's image? ("busybox", "busybox:latest", an id prefix) */
function matchesAncestor(c: ContainerRecord, wanted: string): boolean {
  const bare = (ref: string) => ref.replace(/:latest$/, '');
  if (bare(c.ImageRef) === bare(wanted)) return true;
  const id = c.ImageId.replace(/^sha256:/, '');
  const w = wanted.replace(/^sha256:/, '');
  return w.length >= 4 && /^[0-9a-f]+$/.test(w) && id.startsWith(w);
}

function matchesLabel(c: ContainerRecord, wanted: string): boolean {
  const labels = c.Config.Labels ?? {};
  const i = wanted.indexOf('=');
  if (i === -1) return wanted in labels;
  return labels[wanted.slice(0, i)] === wanted.slice(i + 1);
}

/** dockerd's volume filter: a mount whose volume name (a bind's host source) or container path is the value */
function matchesVolume(c: ContainerRecord, wanted: string): boolean {
  return c.mountPoints.some((m) => (m.Name || m.Source) === wanted || m.Destination === wanted);
}

function matchesName(c: ContainerRecord, wanted: string): boolean {
  // dockerd matches names as a regular expression against "/name" and against "name" (so ^web$ works)
  return matchesNamePattern(wanted, c.Name, c.Name.replace(/^\//, ''));
}

/** dockerd's name filter (containers, networks): `wanted` as a regular expression, or a substring if it is none */
export function matchesNamePattern(wanted: string, ...names: string[]): boolean {
  try {
    const re = new RegExp(wanted);
    return names.some((n) => re.test(n));
  } catch {
    return names.some((n) => n.includes(wanted));
  }
}

export function validateFilters(filters: Record<string, string[]>): void {
  for (const key of Object.keys(filters)) {
    if (!(LIST_FILTERS as readonly string[]).includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  }
  for (const s of filters.status ?? []) {
    if (!(CONTAINER_STATUSES as readonly string[]).includes(s))
      throw invalidArgument(`invalid filter 'status=${s}'`, { suggestions: [`use one of: ${CONTAINER_STATUSES.join(', ')}`] });
  }
  for (const h of filters.health ?? []) {
    if (!(HEALTH_FILTER_VALUES as readonly string[]).includes(h))
      throw invalidArgument(`Unrecognised filter value for health: ${h}`, { suggestions: [`use one of: ${HEALTH_FILTER_VALUES.join(', ')}`] });
  }
  for (const e of filters.exited ?? []) {
    if (!/^-?\d+$/.test(e)) throw invalidArgument(`invalid filter 'exited=${e}': expected an exit code`);
  }
}

export function selectContainers(records: readonly ContainerRecord[], sel: ListSelection): ContainerRecord[] {
  const f = sel.filters;
  validateFilters(f);
  // a status or exited filter, or a limit, looks at stopped containers too, as in Docker
  const all = sel.all || (sel.limit ?? 0) > 0 || (f.status?.length ?? 0) > 0 || (f.exited?.length ?? 0) > 0;
  const byCreated = [...records].sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created) || (a.Id < b.Id ? -1 : 1));
  const createdOf = (ref: string) => records.find((r) => r.Id.startsWith(ref) || r.Name === `/${ref.replace(/^\//, '')}`)?.Created;
  const before = f.before?.[0] !== undefined ? createdOf(f.before[0]) : undefined;
  const sinceT = f.since?.[0] !== undefined ? createdOf(f.since[0]) : undefined;
  const picked = byCreated.filter((c) => {
    const status = c.State.Status;
    if (!all && !isActive(status)) return false;
    if (f.status?.length && !f.status.includes(status)) return false;
    if (f.name?.length && !f.name.some((n) => matchesName(c, n))) return false;
    if (f.id?.length && !f.id.some((id) => c.Id.startsWith(id))) return false;
    if (f.label?.length && !f.label.every((l) => matchesLabel(c, l))) return false;
    if (f.ancestor?.length && !f.ancestor.some((a) => matchesAncestor(c, a))) return false;
    if (f.volume?.length && !f.volume.some((v) => matchesVolume(c, v))) return false;
    if (f.health?.length && !f.health.includes(healthFilterValue(c.State.Health))) return false;
    if (f.exited?.length && (status !== 'exited' || !f.exited.includes(String(c.State.ExitCode)))) return false;
    if (before && Date.parse(c.Created) >= Date.parse(before)) return false;
    if (sinceT && Date.parse(c.Created) <= Date.parse(sinceT)) return false;
    return true;
  });
  return sel.limit && sel.limit > 0 ? picked.slice(0, sel.limit) : picked;
}
