import assert from 'node:assert/strict';
import { credentialsFromAuthConfig, decodeRegistryAuth, hasCredentials } from '../../../../src/engine/distribution/registry-credentials.js';

const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('registry credentials (X-Registry-Auth)', () => {
  it('decodes what the docker CLI sends: base64url JSON with username, password, serveraddress', () => {
    const header = encode({ username: 'alice', password: 'p+/?=', serveraddress: 'localhost:5000' });
    assert.deepEqual(decodeRegistryAuth(header), { username: 'alice', password: 'p+/?=', serverAddress: 'localhost:5000' });
  });

  it('treats no header and the CLI\'s empty "{}" as anonymous', () => {
    assert.deepEqual(decodeRegistryAuth(undefined), {});
    assert.deepEqual(decodeRegistryAuth(encode({})), {});
    assert.equal(hasCredentials(decodeRegistryAuth(encode({}))), false);
  });

  it('reads the "auth" field (base64 user:password) and identity tokens', () => {
    assert.deepEqual(credentialsFromAuthConfig({ auth: Buffer.from('bob:a:b').toString('base64') }), { username: 'bob', password: 'a:b' });
    assert.deepEqual(credentialsFromAuthConfig({ identitytoken: 'refresh' }), { identityToken: 'refresh' });
  });

  it('refuses a header that is not base64 JSON', () => {
    assert.throws(() => decodeRegistryAuth('%%%not-json'), /invalid X-Registry-Auth header/);
  });
});
