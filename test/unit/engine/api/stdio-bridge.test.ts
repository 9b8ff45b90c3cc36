import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { StdioSession } from '../../../../src/engine/containers/container-service.js';
import { bridgeStdio } from '../../../../src/engine/api/stdio-bridge.js';
import { readUpgradeBody } from '../../../../src/engine/api/upgrade-body.js';

/** a session whose stdin is a stream the test reads */
function session(): StdioSession & { stdin: PassThrough; end(): void } {
  let end!: () => void;
  const done = new Promise<void>((resolve) => (end = resolve));
  return { stdin: new PassThrough(), onOutput: () => undefined, done, close: () => end(), end: () => end() };
}

describe('stdio bridge', () => {
  it('passes stdin on when the hijacked body came after the headers (the reader left the socket paused)', async () => {
    // `docker exec -it`: the exec start body arrives in its own chunk, then the keys typed at the prompt
    const socket = new PassThrough();
    const body = Buffer.from('{"Detach":false,"Tty":true}');
    const reading = readUpgradeBody(socket as never, Buffer.alloc(0), body.length, 65536);
    socket.write(body);
    await reading;
    const s = session();
    const bridged = bridgeStdio(s, socket, new PassThrough(), { tty: true, stdin: true });
    socket.write('echo 42\r');
    const [keys] = (await once(s.stdin, 'data')) as [Buffer];
    assert.equal(keys.toString(), 'echo 42\r');
    s.end();
    await bridged;
  });
});
