import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { readUpgradeBody } from '../../../../src/engine/api/upgrade-body.js';

/** a stream in place of the hijacked socket: the reader only reads, pauses and unshifts */
const fakeSocket = () => new PassThrough() as unknown as Socket & PassThrough;

describe('upgrade body reader', () => {
  it('refuses a declared length over the limit before reading a byte', async () => {
    const socket = fakeSocket();
    await assert.rejects(readUpgradeBody(socket, Buffer.alloc(0), 1024 * 1024 * 1024, 65536), /request body is too large: 1073741824 bytes, the limit for this request is 65536 bytes/);
    assert.equal(socket.listenerCount('data'), 0);
  });

  it('joins the pieces of a body sent in many chunks and leaves what follows (stdin) on the socket', async () => {
    const socket = fakeSocket();
    const body = Buffer.from('{"Detach":false,"Tty":true}');
    const reading = readUpgradeBody(socket, body.subarray(0, 3), body.length, 65536);
    for (let i = 3; i < body.length; i += 2) socket.write(body.subarray(i, i + 2));
    socket.write('stdin');
    assert.equal((await reading).toString(), body.toString());
    assert.equal(socket.read()?.toString(), 'stdin');
  });

  it('fails when the client goes away in the middle of the body', async () => {
    const socket = fakeSocket();
    const reading = readUpgradeBody(socket, Buffer.from('{"De'), 20, 65536);
    socket.end();
    socket.resume();
    await assert.rejects(reading, /connection ended after 4 of 20 body bytes/);
  });
});
