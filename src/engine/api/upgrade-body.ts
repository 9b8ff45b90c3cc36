// A request with `Connection: Upgrade` is handed over by Node right after its headers, so its body (exec
// start sends {"Detach":false,"Tty":true}) is still on the socket, followed by whatever the client sends
// next (stdin). This reads exactly Content-Length bytes and leaves the rest on the socket. A length over
// the route's limit is refused before any byte is read; chunks are kept in a list and joined once, so a
// client trickling its body costs the engine only the bytes it sent (re-joining the whole buffer for
// every chunk made a slow 1 GiB body quadratic and held every other request).
import type { Socket } from 'node:net';
import { bodyTooLarge } from './body-limits.js';

export function readUpgradeBody(socket: Socket, head: Buffer, length: number, limit: number): Promise<Buffer> {
  if (length > limit) return Promise.reject(bodyTooLarge(length, limit));
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = head.length > 0 ? [head] : [];
    let got = head.length;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got < length) return;
      cleanup();
      socket.pause();
      const all = Buffer.concat(chunks, got);
      if (got > length) socket.unshift(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`connection ended after ${got} of ${length} body bytes`));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}
