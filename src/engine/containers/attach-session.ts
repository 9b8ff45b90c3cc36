// Stage 5: attach (`POST /containers/<id>/attach`, hijacked by the API). `docker run` without -d attaches
// before it starts the container, so the session delivers output from the process's first byte, holds
// stdin written before the process exists (and its end, for StdinOnce) until the shim has the fifo, and
// ends with the process's exit. The detach keys are taken out by the API (api/stdio-bridge.ts) first.
import { Writable } from 'node:stream';
import type { AttachOptions, OutputChunk, StdioSession } from './container-service.js';
import { assertOperation } from './container-state.js';
import type { Live } from './live-table.js';
import { logPolicyOf } from './log-config.js';
import { readLogFiles } from './log-reader.js';

export async function attachSession(live: Live, options: AttachOptions): Promise<StdioSession> {
  const r = live.record;
  assertOperation('attach', r.State.Status, r.Id);
  const listeners: Array<(c: OutputChunk) => void> = [];
  const backlog: OutputChunk[] = [];
  let closed = false;
  const deliver = (c: OutputChunk) => {
    if (closed) return;
    if (c.stream === 'stdout' ? !options.stdout : !options.stderr) return;
    if (listeners.length === 0) backlog.push(c);
    for (const l of listeners) l(c);
  };
  if (options.logs) {
    const { entries } = await readLogFiles(live.files.log, logPolicyOf(r.HostConfig).maxFile);
    for (const e of entries) deliver({ stream: e.stream, data: Buffer.from(e.log) });
  }
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const onChunk = (c: OutputChunk) => deliver(c);
  const onExit = () => close();
  const close = () => {
    if (closed) return;
    closed = true;
    live.output.off('chunk', onChunk);
    live.events.off('exit', onExit);
    finish();
  };
  if (options.stream) {
    live.output.on('chunk', onChunk);
    live.events.once('exit', onExit);
  } else {
    close();
  }
  const stdin = options.stdin && r.Config.OpenStdin ? stdinOf(live, () => closed) : undefined;
  return {
    stdin,
    onOutput(listener) {
      listeners.push(listener);
      for (const c of backlog.splice(0)) listener(c);
    },
    done,
    close,
  };
}

/** the session's stdin: into the shim's fifo once the process runs, kept until then */
function stdinOf(live: Live, sessionClosed: () => boolean): Writable {
  const stdin = new Writable({
    write: (chunk: Buffer, _enc, cb) => {
      if (live.proc?.stdin) live.proc.stdin.write(chunk);
      else live.pendingStdin.push(chunk);
      cb();
    },
    final: (cb) => {
      // docker run -i: the client's stdin ended, so the container's does (StdinOnce)
      if (live.record.Config.StdinOnce && !sessionClosed()) {
        if (live.proc && live.record.State.Status === 'running') live.proc.closeStdin();
        else live.pendingStdinEnd = true;
      }
      cb();
    },
  });
  stdin.on('error', () => undefined);
  return stdin;
}
