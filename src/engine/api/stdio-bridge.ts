// Joins a container's (or an exec's) stdio session to a client connection. Output goes out framed with
// Docker's 8-byte headers when there is no tty, raw with one. Bytes from the client go to stdin; the
// client half-closing its side (the docker CLI does that at stdin EOF) ends stdin only, never the output.
// The client going away altogether closes the session: the process keeps running (that is `detach`).
import type { Readable, Writable } from 'node:stream';
import type { StdioSession } from '../containers/container-service.js';
import { DetachKeyScanner } from './detach-keys.js';
import { encodeFrame } from './stream-framing.js';

export interface BridgeOptions {
  tty: boolean;
  /** whether client bytes should reach stdin (attach without stdin still drains them) */
  stdin: boolean;
  /** the detach sequence to watch for in the client's bytes (attach); none for exec */
  detachKeys?: number[];
}

/** resolves when the output is over (the process ended or the session closed) and the output is ended */
export function bridgeStdio(session: StdioSession, input: Readable, output: Writable, options: BridgeOptions): Promise<void> {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    output.end();
  };

  session.onOutput((chunk) => {
    if (finished || output.destroyed) return;
    output.write(options.tty ? chunk.data : encodeFrame(chunk.stream, chunk.data));
  });

  const stdin = options.stdin ? session.stdin : undefined;
  const scanner = options.detachKeys && options.detachKeys.length > 0 ? new DetachKeyScanner(options.detachKeys) : undefined;
  if (stdin) {
    input.on('data', (data: Buffer) => {
      if (finished) return;
      let bytes = data;
      if (scanner) {
        const { forward, detached } = scanner.push(data);
        bytes = forward;
        if (detached) {
          if (bytes.length > 0 && !stdin.writableEnded) stdin.write(bytes);
          // detach: the process keeps running with its stdin open; only this client lets go
          session.close();
          finish();
          return;
        }
      }
      if (bytes.length > 0 && !stdin.writableEnded && !stdin.destroyed) stdin.write(bytes);
    });
    input.once('end', () => {
      if (!finished && !stdin.writableEnded) stdin.end();
    });
    // the upgrade-body reader pauses the socket when the body came after the headers (so no stdin byte
    // is lost before this listener), and a 'data' listener does not restart an explicitly paused stream
    input.resume();
    stdin.on('error', () => undefined); // the process may exit with bytes still on their way
  } else {
    input.resume();
  }
  input.on('error', () => undefined);

  // the output closing (not a half-close of the input) means the client is gone; an HTTP request's body
  // emits 'close' as soon as it is read, so the input's 'close' says nothing about the client
  output.once('close', () => {
    if (!finished) session.close();
  });

  return session.done.then(finish, finish);
}
