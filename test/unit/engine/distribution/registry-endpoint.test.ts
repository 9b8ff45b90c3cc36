import assert from 'node:assert/strict';
import { mirrorsFromEnv } from '../../../../src/engine/distribution/engine-registry-config.js';
import { DOCKER_HUB_REGISTRY, isInsecure, loginDomain, registryEndpoints } from '../../../../src/engine/distribution/registry-endpoint.js';

describe('registry endpoints', () => {
  it('sends docker.io to its mirrors first, then to registry-1.docker.io over https', () => {
    assert.deepEqual(registryEndpoints('docker.io', { mirrors: ['http://127.0.0.1:5000/'] }), [
      { baseUrl: 'http://127.0.0.1:5000', mirror: true },
      { baseUrl: DOCKER_HUB_REGISTRY, mirror: false },
    ]);
  });

  it('speaks plain http to loopback and listed insecure registries, https elsewhere; mirrors only for docker.io', () => {
    assert.deepEqual(registryEndpoints('localhost:5000', { mirrors: ['http://m'] }), [{ baseUrl: 'http://localhost:5000', mirror: false }]);
    assert.equal(registryEndpoints('127.0.0.1:41234')[0].baseUrl, 'http://127.0.0.1:41234');
    assert.equal(registryEndpoints('ghcr.io')[0].baseUrl, 'https://ghcr.io');
    assert.equal(registryEndpoints('reg.lan:5000', { insecureRegistries: ['reg.lan:5000'] })[0].baseUrl, 'http://reg.lan:5000');
  });

  it('maps docker login server addresses to registry domains', () => {
    assert.equal(loginDomain(undefined), 'docker.io');
    assert.equal(loginDomain('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(loginDomain('localhost:5000'), 'localhost:5000');
    assert.equal(loginDomain('http://127.0.0.1:5000'), '127.0.0.1:5000');
  });
});

describe('insecure registries', () => {
  it("matches a registry by its name, or its IPv4 address inside a listed CIDR (dockerd's insecure-registries)", () => {
    assert.equal(isInsecure('myreg:5000', ['myreg:5000']), true);
    assert.equal(isInsecure('myreg:5001', ['myreg:5000']), false);
    assert.equal(isInsecure('10.99.3.4:5000', ['10.99.0.0/16']), true);
    assert.equal(isInsecure('10.98.3.4:5000', ['10.99.0.0/16']), false);
    assert.equal(isInsecure('reg.example:5000', ['10.99.0.0/16']), false);
    assert.equal(registryEndpoints('10.99.3.4:5000', { insecureRegistries: ['10.99.0.0/16'] })[0].baseUrl, 'http://10.99.3.4:5000');
  });
});

describe('registry mirrors from the environment', () => {
  it('reads BOXLAB_REGISTRY_MIRRORS, comma separated; unset means none', () => {
    assert.deepEqual(mirrorsFromEnv({ BOXLAB_REGISTRY_MIRRORS: 'http://a:1, http://b:2' }), ['http://a:1', 'http://b:2']);
    assert.deepEqual(mirrorsFromEnv({}), []);
  });
});
