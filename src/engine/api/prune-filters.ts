// The `filters` of `docker container/volume/network prune`, read once at the edge as dockerd 20.10 reads
// them (daemon/prune.go): only the keys the object knows (anything else is "Invalid filter 'x'"), one
// `until` at most, parsed by dockerd's GetTimestamp (core/go-time.ts), and `label`/`label!` as its
// matchLabels. The services get a PruneFilter and ask it about each candidate.
import { invalidArgument } from '../../core/errors.js';
import { isoNanos, parseTimestamp } from '../../core/go-time.js';
import type { PruneFilter } from '../docker-model.js';
import { matchLabels, validateFilters } from '../images/image-filters.js';

/** what each prune accepts in dockerd 20.10 (volumes have no `until` before API 1.42) */
export const PRUNE_FILTER_KEYS = {
  container: ['until', 'label', 'label!'],
  network: ['until', 'label', 'label!'],
  volume: ['label', 'label!'],
} as const;

export function parsePruneFilter(kind: keyof typeof PRUNE_FILTER_KEYS, filters: Record<string, string[]>, nowMs = Date.now()): PruneFilter {
  validateFilters(filters, PRUNE_FILTER_KEYS[kind]);
  const untilValues = filters.until ?? [];
  if (untilValues.length > 1) throw invalidArgument('more than one until filter specified', { suggestions: ['give one until=<time or duration>'] });
  const until = untilValues.length === 1 ? parseTimestamp(untilValues[0]!, nowMs) : undefined;
  return {
    until,
    // dockerd: skip what was created after `until`
    matches: (labels, created) => (until === undefined || isoNanos(created) <= until) && matchLabels(filters, labels),
  };
}
