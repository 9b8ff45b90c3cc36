import assert from 'node:assert/strict';
import { offlinePullMessage } from '../../../../src/engine/distribution/offline-pull.js';

describe('offline pull message', () => {
  const base = { registry: 'registry-1.docker.io', reason: 'getaddrinfo ENOTFOUND registry-1.docker.io', localNames: ['busybox:latest', 'boxlab/counter:1'] };

  it("keeps Docker's words, says there is no such image here, and names the nearest local image", () => {
    const m = offlinePullMessage({ ...base, repo: 'busybx', wanted: 'busybx:latest' });
    assert.equal(
      m.message,
      "pull access denied for busybx, repository does not exist or may require 'docker login': there is no image busybx:latest on this machine, " +
        'and the registry registry-1.docker.io cannot be reached to look for it (getaddrinfo ENOTFOUND registry-1.docker.io); did you mean busybox:latest?',
    );
    assert.equal(m.suggestions[0], 'use the local image: docker run busybox:latest ...');
  });

  it('a right name with a wrong tag finds the repository', () => {
    assert.match(offlinePullMessage({ ...base, repo: 'busybox', wanted: 'busybox:1.36' }).message, /did you mean busybox:latest\?$/);
  });

  it('without a near name it points at docker images', () => {
    const m = offlinePullMessage({ ...base, repo: 'postgres', wanted: 'postgres:latest' });
    assert.match(m.message, /cannot be reached to look for it \(getaddrinfo ENOTFOUND registry-1\.docker\.io\); docker images lists the images here$/);
  });
});
