// Query strings with Docker's conventions: booleans are "1"/"true" (and "0"/"false"), numbers are
// integers, and `filters` is a JSON map of name -> list of values (older clients send name -> {value: true}).
import { invalidArgument } from '../../core/errors.js';

export class Query {
  constructor(private readonly params: URLSearchParams) {}

  static parse(search: string): Query {
    return new Query(new URLSearchParams(search));
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  string(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  all(name: string): string[] {
    return this.params.getAll(name);
  }

  bool(name: string, fallback = false): boolean {
    const v = this.params.get(name);
    if (v === null || v === '') return fallback;
    const lower = v.toLowerCase();
    if (lower === '1' || lower === 'true') return true;
    if (lower === '0' || lower === 'false') return false;
    throw invalidArgument(`invalid value for query parameter ${name}: expected 1/true or 0/false, got "${v}"`);
  }

  int(name: string): number | undefined {
    const v = this.params.get(name);
    if (v === null || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw invalidArgument(`invalid value for query parameter ${name}: expected an integer, got "${v}"`);
    return Number(v);
  }

  /** fractional unix seconds, as `docker logs --since` sends them ("1700000000.000000000") */
  seconds(name: string): number | undefined {
    const v = this.params.get(name);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw invalidArgument(`invalid value for query parameter ${name}: expected unix seconds, got "${v}"`);
    return n;
  }

  filters(): Record<string, string[]> {
    return parseFilters(this.params.get('filters') ?? undefined);
  }
}

export function parseFilters(raw: string | undefined): Record<string, string[]> {
  if (raw === undefined || raw === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw invalidArgument(`invalid filters: expected a JSON object, got ${JSON.stringify(raw)}`, { cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(`invalid filters: expected a JSON object, got ${JSON.stringify(raw)}`);
  }
  const out: Record<string, string[]> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (Array.isArray(v)) out[key] = v.map(String);
    else if (v !== null && typeof v === 'object') out[key] = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k]);
    else throw invalidArgument(`invalid filter "${key}": expected a list of values`);
  }
  return out;
}
