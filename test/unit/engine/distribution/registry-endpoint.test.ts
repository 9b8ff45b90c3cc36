import assert from 'node:assert/strict';
import { parseEngineRegistryConfig, readEngineRegistryConfig } from '../../../../src/engine/distribution/engine-registry-config.js';
import { DOCKER_HUB_REGISTRY, loginDomain, registryEndpoints } from '../../../../src/engine/distribution/registry-endpoint.js';

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

describe('engine registry config (daemon.json style)', () => {
  it('reads registry-mirrors and insecure-registries', () => {
    assert.deepEqual(parseEngineRegistryConfig('{"registry-mirrors":["http://127.0.0.1:5000"],"insecure-registries":["r:5000"]}', 'engine.json'), {
      mirrors: ['http://127.0.0.1:5000'],
      insecureRegistries: ['r:5000'],
    });
  });

  it('names the file and the field when the config is wrong', () => {
    assert.throws(() => parseEngineRegistryConfig('{', '/etc/boxlab/engine.json'), /\/etc\/boxlab\/engine.json is not valid JSON/);
    assert.throws(() => parseEngineRegistryConfig('{"registry-mirrors":"x"}', 'e.json'), /e.json: "registry-mirrors" must be a list of strings/);
    assert.throws(() => parseEngineRegistryConfig('{"registry-mirrors":["127.0.0.1:5000"]}', 'e.json'), /must be a URL such as http:\/\/127.0.0.1:5000/);
  });

  it('adds BOXLAB_REGISTRY_MIRRORS; a missing file means no mirrors', () => {
    const env = { BOXLAB_ENGINE_CONFIG: '/nonexistent/boxlab-engine.json', BOXLAB_REGISTRY_MIRRORS: 'http://a:1, http://b:2' };
    assert.deepEqual(readEngineRegistryConfig(env).mirrors, ['http://a:1', 'http://b:2']);
    assert.deepEqual(readEngineRegistryConfig({ BOXLAB_ENGINE_CONFIG: '/nonexistent/x.json' }).mirrors, []);
  });
});
