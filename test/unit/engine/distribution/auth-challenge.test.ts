import assert from 'node:assert/strict';
import { parseWwwAuthenticate, repositoryScope } from '../../../../src/engine/distribution/auth-challenge.js';

describe('parseWwwAuthenticate', () => {
  it('reads Docker Hub\'s bearer challenge (realm, service, scope)', () => {
    const header = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"';
    assert.deepEqual(parseWwwAuthenticate(header), [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
    ]);
  });

  it('reads a Basic challenge as docker-registry with htpasswd sends it', () => {
    assert.deepEqual(parseWwwAuthenticate('Basic realm="basic-realm"'), [{ scheme: 'basic', params: { realm: 'basic-realm' } }]);
  });

  it('keeps several scopes, an error parameter, escaped quotes, and several challenges in one header', () => {
    const header = 'Bearer realm="http://t/token",service="s",scope="repository:a:pull,push repository:b:pull",error="insufficient_scope", Basic realm="say \\"hi\\""';
    const parsed = parseWwwAuthenticate(header);
    assert.equal(parsed.length, 2);
    assert.equal(parsed[0].params.scope, 'repository:a:pull,push repository:b:pull');
    assert.equal(parsed[0].params.error, 'insufficient_scope');
    assert.deepEqual(parsed[1], { scheme: 'basic', params: { realm: 'say "hi"' } });
  });

  it('accepts unquoted values and odd spacing; empty input gives no challenge', () => {
    assert.deepEqual(parseWwwAuthenticate('bearer  realm = http://x/token , service=reg'), [{ scheme: 'bearer', params: { realm: 'http://x/token', service: 'reg' } }]);
    assert.deepEqual(parseWwwAuthenticate(''), []);
  });

  it('builds the scope of a token request', () => {
    assert.equal(repositoryScope('me/x', ['pull', 'push']), 'repository:me/x:pull,push');
  });
});
