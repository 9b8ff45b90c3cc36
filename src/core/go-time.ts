// Durations and points in time written the way Docker writes them, because dockerd reads them with Go:
// a duration is Go's time.ParseDuration grammar ("90s", "1h30m", "1.5h", "-2m", "300ms"); a point in
// time (the `until` of a prune, `--since`/`--until` of logs and events) is dockerd's GetTimestamp: a
// duration back from now, an RFC 3339 time with or without zone (without one it is local time), a date
// alone, or unix seconds with a fraction. The one parser for both in boxlab; pure (`now` is passed in).
import { invalidArgument } from './errors.js';

/** nanoseconds per unit; Go accepts both the micro sign (U+00B5) and the Greek mu (U+03BC) */
const UNIT_NANOS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration: nanoseconds, or an error in Go's words (`time: invalid duration "1x"`) */
export function parseGoDuration(text: string): number {
  const invalid = () => invalidArgument(`time: invalid duration ${JSON.stringify(text)}`, { suggestions: ['write a duration as Go does: 30s, 1m30s, 1.5h, 300ms'] });
  const sign = /^[-+]/.test(text) ? text[0] : '';
  const rest = text.slice(sign.length);
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  let i = 0;
  const part = /(\d*)(?:\.(\d*))?([^\d.]*)/y;
  while (i < rest.length) {
    part.lastIndex = i;
    const m = part.exec(rest)!;
    const [whole, int, frac, unit] = m;
    if (int === '' && (frac === undefined || frac === '')) throw invalid();
    if (unit === '') throw invalidArgument(`time: missing unit in duration ${JSON.stringify(text)}`);
    const nanos = UNIT_NANOS[unit!];
    if (nanos === undefined) throw invalidArgument(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`, { suggestions: ['units are ns, us, ms, s, m and h (no d: write 24h for a day)'] });
    total += Number(`${int || '0'}.${frac || '0'}`) * nanos;
    i += whole.length;
  }
  return sign === '-' ? -Math.round(total) : Math.round(total);
}

/** the duration, or undefined when the text is not one */
export function tryGoDuration(text: string): number | undefined {
  try {
    return parseGoDuration(text);
  } catch {
    return undefined;
  }
}

/** Go's time.Duration.String ("30s", "1m30s", "1.5s", "500ms", "0s"): how dockerd prints a duration in its messages */
export function formatGoDuration(nanos: number): string {
  const n = Math.round(Math.abs(nanos));
  const sign = nanos < 0 ? '-' : '';
  if (n === 0) return '0s';
  const fixed = (value: number, unit: number) => {
    const whole = Math.floor(value / unit);
    const frac = String(value % unit).padStart(String(unit).length - 1, '0').replace(/0+$/, '');
    return frac ? `${whole}.${frac}` : String(whole);
  };
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${fixed(n, 1e3)}µs`;
  if (n < 1e9) return `${sign}${fixed(n, 1e6)}ms`;
  const h = Math.floor(n / 3600e9);
  const m = Math.floor((n % 3600e9) / 60e9);
  const s = `${fixed(n % 60e9, 1e9)}s`;
  return sign + (h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** unix nanoseconds of a calendar time, checked as Go's time.Parse checks it (no 31st of November) */
function calendarNanos(value: string): bigint | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  // dockerd's formats: a fraction only with seconds (RFC3339Nano); a date alone may carry a zone
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate() || hour > 23 || minute > 59 || second > 59) return undefined;
  let ms: number;
  if (zone === undefined) {
    // no zone: local time, as dockerd's ParseInLocation with the daemon's zone
    ms = new Date(year, month - 1, day, hour, minute, second).getTime();
  } else {
    const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    ms = Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
  }
  return BigInt(ms / 1000) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}

/**
 * dockerd's GetTimestamp + ParseTimestamps: unix nanoseconds of `value`. A duration counts back from
 * `nowMs` and, as in dockerd, keeps whole seconds only. Refused with dockerd's message.
 */
export function parseTimestamp(value: string, nowMs: number): bigint {
  const duration = value === '0' ? undefined : tryGoDuration(value);
  if (duration !== undefined) return BigInt(Math.floor((nowMs - duration / 1e6) / 1000)) * 1_000_000_000n;
  const calendar = calendarNanos(value);
  if (calendar !== undefined) return calendar;
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (unix) return BigInt(unix[1]!) * 1_000_000_000n + BigInt(((unix[2] ?? '') + '000000000').slice(0, 9));
  throw invalidArgument(`failed to parse value as time or duration: ${JSON.stringify(value)}`, {
    suggestions: ['use a duration (24h), a unix time (1700000000) or a date and time (2026-11-23T10:00:00)'],
  });
}

/** unix nanoseconds of an RFC 3339 time as boxlab's records keep it ("2026-11-23T09:00:00.123456789Z") */
export function isoNanos(iso: string): bigint {
  return calendarNanos(iso) ?? BigInt(Math.floor(Date.parse(iso) || 0)) * 1_000_000n;
}
