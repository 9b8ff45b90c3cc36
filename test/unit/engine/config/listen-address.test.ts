import assert from 'node:assert/strict';
import { listenUrl, parseDaemonHost } from '../../../../src/engine/config/listen-address.js';

const plain = { tls: false, defaultSocket: '/run/boxlab/docker.sock' };

describe("listen addresses (dockerd's -H)", () => {
  it('reads unix sockets and TCP addresses as dockerd does, with its default ports', () => {
    assert.deepEqual(parseDaemonHost('unix:///tmp/d.sock', plain), { proto: 'unix', path: '/tmp/d.sock' });
    assert.deepEqual(parseDaemonHost('unix://', plain), { proto: 'unix', path: '/run/boxlab/docker.sock' });
    assert.deepEqual(parseDaemonHost('tcp://0.0.0.0:2375', plain), { proto: 'tcp', host: '0.0.0.0', port: 2375 });
    assert.deepEqual(parseDaemonHost('127.0.0.1:4243', plain), { proto: 'tcp', host: '127.0.0.1', port: 4243 });
    assert.deepEqual(parseDaemonHost('tcp://:2380', plain), { proto: 'tcp', host: '127.0.0.1', port: 2380 });
    assert.deepEqual(parseDaemonHost('tcp://[::1]:2376', plain), { proto: 'tcp', host: '::1', port: 2376 });
    assert.deepEqual(parseDaemonHost('tcp://10.0.0.5', { ...plain, tls: true }), { proto: 'tcp', host: '10.0.0.5', port: 2376 });
  });

  it('refuses what boxlab cannot listen on, saying what to write', () => {
    assert.throws(() => parseDaemonHost('fd://', plain), /boxlab does not take sockets from systemd \(fd:\/\/\): give unix:\/\/\/path or tcp:\/\/host:port/);
    assert.throws(() => parseDaemonHost('npipe:////./pipe/docker', plain), /Invalid bind address format: npipe/);
    assert.throws(() => parseDaemonHost('tcp://', plain), /Invalid proto, expected tcp: tcp:\/\//);
    assert.throws(() => parseDaemonHost('unix://relative.sock', plain), /needs an absolute path/);
    assert.throws(() => parseDaemonHost('tcp://1.2.3.4:99999', plain), /above 65535/);
  });

  it('writes the DOCKER_HOST of an address', () => {
    assert.equal(listenUrl({ proto: 'tcp', host: '::1', port: 2376 }), 'tcp://[::1]:2376');
    assert.equal(listenUrl({ proto: 'unix', path: '/x.sock' }), 'unix:///x.sock');
  });
});
