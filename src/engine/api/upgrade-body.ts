// A request with `Connection: Upgrade` is handed over by Node right after its headers, so its body (exec
// start sends {"Detach":false,"Tty":true}) is still on the socket, followed by whatever the client sends
// next (stdin). This reads exactly Content-Length bytes and leaves the rest on the socket.
import type { Socket } from 'node:net';

export function readUpgradeBody(socket: Socket, head: Buffer, length: number): Promise<Buffer> {
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    let got = head;
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < length) return;
      cleanup();
      socket.pause();
      if (got.length > length) socket.unshift(got.subarray(length));
      resolve(got.subarray(0, length));
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`connection ended after ${got.length} of ${length} body bytes`));
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
