import assert from 'node:assert/strict';
import { humanSize, progressBar, progressMessage, statusMessage } from '../../../../src/engine/distribution/progress-message.js';
import { registryError, registryErrorText } from '../../../../src/engine/distribution/registry-errors.js';

describe('docker pull progress messages', () => {
  it('sizes like Docker (4 significant digits, decimal units)', () => {
    assert.equal(humanSize(22), '22B');
    assert.equal(humanSize(2152262), '2.152MB');
    assert.equal(humanSize(1049), '1.049kB');
  });

  it('draws the 50-column bar the CLI prints', () => {
    assert.equal(progressBar(0, 100), `[>${' '.repeat(49)}]  0B/100B`);
    assert.equal(progressBar(50, 100), `[${'='.repeat(24)}>${' '.repeat(25)}]  50B/100B`);
    assert.equal(progressBar(100, 100), `[${'='.repeat(49)}>]  100B/100B`);
  });

  it('shapes status and progress lines as dockerd does', () => {
    assert.deepEqual(statusMessage('Pulling fs layer', 'a58ecd4f0c86'), { status: 'Pulling fs layer', progressDetail: {}, id: 'a58ecd4f0c86' });
    assert.deepEqual(statusMessage('Digest: sha256:x'), { status: 'Digest: sha256:x' });
    assert.deepEqual(progressMessage('Downloading', 'a', 1, 2).progressDetail, { current: 1, total: 2 });
  });
});

describe('registry errors', () => {
  it('reads the distribution error body', () => {
    assert.equal(registryErrorText('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}'), 'manifest unknown: manifest unknown');
  });

  it('says pull access denied for 401 on pull, names the rate limit for 429', () => {
    assert.equal(registryError(401, '', 'manifest', 'nosuch', 'pull').message, "pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied");
    const limited = registryError(429, '{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}', 'manifest for nginx:latest', 'nginx', 'pull');
    assert.equal(limited.code, 'UNAVAILABLE');
    assert.match(limited.message, /too many requests \(429\): toomanyrequests: You have reached your pull rate limit/);
    assert.ok(limited.suggestions.some((s) => s.includes('boxlab mirror start')));
  });
});
