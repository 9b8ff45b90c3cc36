import assert from 'node:assert/strict';
import { familiarString, fullString, looksLikeId, normalizeTagged, parseReference } from '../../../../src/engine/images/reference.js';

// Expectations follow Docker's distribution/reference normalisation (ParseNormalizedNamed, FamiliarString).
describe('image references', () => {
  const cases: Array<[string, string, string]> = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/redis', 'docker.io/library/redis:latest', 'redis:latest'],
    ['me/app', 'docker.io/me/app:latest', 'me/app:latest'],
    ['localhost:5000/me/x:1', 'localhost:5000/me/x:1', 'localhost:5000/me/x:1'],
    ['localhost/x', 'localhost/x:latest', 'localhost/x:latest'],
    ['ghcr.io/org/tool:v1.2.3', 'ghcr.io/org/tool:v1.2.3', 'ghcr.io/org/tool:v1.2.3'],
    ['me/a.b__c-d', 'docker.io/me/a.b__c-d:latest', 'me/a.b__c-d:latest'],
  ];
  for (const [input, full, familiar] of cases) {
    it(`normalises ${input}`, () => {
      const ref = parseReference(input);
      assert.equal(fullString({ ...ref, tag: ref.tag ?? 'latest' }), full);
      assert.equal(normalizeTagged(input), familiar);
    });
  }

  it('keeps a digest and shows it in the familiar form', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    const ref = parseReference(`busybox@${digest}`);
    assert.equal(ref.digest, digest);
    assert.equal(ref.tag, undefined);
    assert.equal(familiarString(ref), `busybox@${digest}`);
    assert.equal(normalizeTagged(`busybox@${digest}`), `busybox@${digest}`);
  });

  it('treats a first component with a dot, a port or "localhost" as the registry, else as a path', () => {
    assert.equal(parseReference('localhost:5000/x').domain, 'localhost:5000');
    assert.equal(parseReference('example.com/x').domain, 'example.com');
    assert.deepEqual(parseReference('example/x'), { domain: 'docker.io', path: 'example/x' });
  });

  for (const bad of ['a.b__c/e', 'BusyBox', 'busybox:', 'busybox:-x', ':latest', 'a//b', 'busybox@sha256:abc', 'a'.repeat(256), 'x/-y']) {
    it(`refuses ${JSON.stringify(bad.length > 20 ? bad.slice(0, 20) + '...' : bad)}`, () => {
      assert.throws(() => parseReference(bad), (err: Error & { code?: string }) => err.code === 'INVALID_ARGUMENT' && /invalid reference format/.test(err.message));
    });
  }

  it('refuses a bare 64-hex name as Docker does (it would be mistaken for an id)', () => {
    assert.throws(() => parseReference('f'.repeat(64)), /cannot specify 64-byte hexadecimal strings/);
  });

  it('says lowercase when the name has capitals', () => {
    assert.throws(() => parseReference('me/App'), /must be lowercase/);
  });

  it('recognises ids and id prefixes', () => {
    assert.ok(looksLikeId('0a9b6ebf9f9a'));
    assert.ok(looksLikeId('sha256:' + 'b'.repeat(64)));
    assert.ok(!looksLikeId('busybox'));
  });
});
