// Stage 6: logs (`docker logs`, `GET /containers/<id>/logs`). Every file of the json-file log, oldest
// first (log-reader.ts reads across rotations), filtered by since/until/tail/streams (json-log.ts); with
// --follow, then the entries written since, until the container stops or is removed.
import { AsyncQueue } from './async-queue.js';
import type { EntryEvent } from './container-output.js';
import type { LogEntry, LogOptions } from './container-service.js';
import { isActive } from './container-state.js';
import { selectLogEntries } from './json-log.js';
import type { Live } from './live-table.js';
import { assertLogReadable, logPolicyOf } from './log-config.js';
import { alreadyRead, readLogFiles } from './log-reader.js';

export async function* containerLogs(live: Live, options: LogOptions): AsyncIterable<LogEntry> {
  const policy = logPolicyOf(live.record.HostConfig);
  assertLogReadable(policy.driver);
  const follow = options.follow && isActive(live.record.State.Status);
  const queue = new AsyncQueue<EntryEvent>();
  const onEntry = (e: EntryEvent) => queue.push(e);
  const onStopped = () => queue.end();
  if (follow) {
    live.output.on('entry', onEntry);
    live.events.once('stopped', onStopped);
    live.events.once('removed', onStopped);
  }
  try {
    // every file of the log, oldest first; then (-f) the records written since, also across rotations
    const snapshot = await readLogFiles(live.files.log, policy.maxFile, live.output);
    // the API layer puts the time in front of each line for --timestamps
    yield* selectLogEntries(snapshot.entries, options);
    if (!follow) return;
    for await (const ev of queue) {
      if (alreadyRead(snapshot, ev)) continue;
      const [e] = selectLogEntries([ev.entry], { ...options, tail: 'all' });
      if (e) yield e;
    }
  } finally {
    live.output.off('entry', onEntry);
    live.events.off('stopped', onStopped);
    live.events.off('removed', onStopped);
  }
}
