// --listen parsed once; what a bind beyond loopback says it exposes.
import assert from 'node:assert/strict';
import { exposureNotice, formatListen, isLoopback, parseListen } from '../../../src/classroom/class-listen.js';

describe('class serve --listen', () => {
  it('reads HOST:PORT, IPv6 in brackets', () => {
    assert.deepEqual(parseListen('127.0.0.1:7733'), { host: '127.0.0.1', port: 7733 });
    assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
    assert.deepEqual(parseListen('teacher-laptop:8443'), { host: 'teacher-laptop', port: 8443 });
    assert.equal(formatListen({ host: '::', port: 80 }), '[::]:80');
    for (const bad of ['7733', '0.0.0.0', '1.2.3.4:70000', ':80']) assert.throws(() => parseListen(bad), /is not HOST:PORT/);
  });

  it('says nothing on loopback, and what is exposed beyond it', () => {
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost'));
    assert.deepEqual(exposureNotice({ host: '127.0.0.1', port: 1 }), []);
    const notice = exposureNotice({ host: '0.0.0.0', port: 7733 }).join('\n');
    assert.match(notice, /every network this machine is on/);
    assert.match(notice, /POST \/api\/join/);
    assert.match(notice, /plain HTTP/);
    assert.match(exposureNotice({ host: '192.168.1.5', port: 7733 })[0], /the network of 192\.168\.1\.5/);
  });
});
