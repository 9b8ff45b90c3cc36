import assert from 'node:assert/strict';
import { buildRegistryConfig, parseListenAddress } from '../../../../src/engine/mirror/mirror-config.js';

describe('mirror config', () => {
  it('writes a docker-registry config bound to the address given, with our data folder', () => {
    const yaml = buildRegistryConfig({ dataDir: '/tmp/m/data', addr: '127.0.0.1:5000' });
    assert.match(yaml, /^version: 0\.1\n/);
    assert.match(yaml, /\n {4}rootdirectory: "\/tmp\/m\/data"\n/);
    assert.match(yaml, /\nhttp:\n {2}addr: "127\.0\.0\.1:5000"\n/);
    assert.doesNotMatch(yaml, /auth:/);
  });

  it('refuses addresses docker-registry could not bind', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:5001'), { host: '127.0.0.1', port: 5001 });
    assert.throws(() => parseListenAddress('5000'), /invalid mirror address "5000": expected host:port/);
    assert.throws(() => parseListenAddress('127.0.0.1:70000'), /invalid mirror address/);
  });
});
