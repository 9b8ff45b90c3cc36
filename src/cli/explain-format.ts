// Renders a container's trace events as the numbered story `boxlab explain` prints.
import type { TraceEvent } from '../engine/trace/trace-event.js';
import type { Lang } from '../core/lang.js';
import { KEEP_COUNT, KEEP_MS } from '../engine/trace/removed-traces.js';

const HEADINGS = {
  en: (name: string) => `What boxlabd did for ${name}, step by step:`,
  zh: (name: string) => `boxlabd 为 ${name} 所做的每一步：`,
};
const REMOVED = {
  en: (name: string, time: string) => `${name} was removed at ${time}: boxlabd keeps the story of the last ${KEEP_COUNT} removed containers for ${KEEP_MS / 60_000} minutes.`,
  zh: (name: string, time: string) => `${name} 已在 ${time} 被删除：boxlabd 会把最近删除的 ${KEEP_COUNT} 个容器的记录保留 ${KEEP_MS / 60_000} 分钟。`,
};

/** the time a container was removed, when its story ends with its removal (trace/removed-traces.ts) */
export function removedAt(events: readonly TraceEvent[]): string | undefined {
  return events.find((e) => e.step === 'cleanup' && e.details.removed === true)?.time;
}
const EMPTY = {
  en: (name: string) => `no trace recorded for ${name} yet`,
  zh: (name: string) => `${name} 还没有记录任何步骤`,
};

/** the detail fields worth a line of their own: paths, arguments, limits */
function detailLines(details: Record<string, unknown>): string[] {
  return Object.entries(details)
    .filter(([k, v]) => k !== 'removed' && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `       ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

export function formatTrace(name: string, events: TraceEvent[], lang: Lang, verbose = true): string {
  if (events.length === 0) return EMPTY[lang](name);
  const lines = [HEADINGS[lang](name)];
  const removed = removedAt(events);
  if (removed) lines.unshift(REMOVED[lang](name, removed.slice(11, 19)));
  events.forEach((event, i) => {
    const time = event.time.slice(11, 23);
    lines.push(`${String(i + 1).padStart(3)}. ${time}  [${event.step}] ${event.text[lang]}`);
    if (verbose) lines.push(...detailLines(event.details));
  });
  return lines.join('\n');
}
