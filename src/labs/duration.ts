// Durations as teachers write them in lab files: "500ms", "10s", "2m", "1h", "1m30s" (Go's grammar, as
// in Docker's flags). Pure; the parser turns a bad one into a problem with file:line instead of throwing.
import { tryGoDuration } from '../core/go-time.js';

/** milliseconds, or undefined when the text is not a duration (or is negative) */
export function parseDuration(text: string): number | undefined {
  const nanos = tryGoDuration(text.trim());
  return nanos === undefined || nanos < 0 ? undefined : Math.round(nanos / 1e6);
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
