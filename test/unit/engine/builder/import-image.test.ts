import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { isAppError } from '../../../../src/core/errors.js';
import { enginePaths } from '../../../../src/core/paths.js';
import { importImage, importReference } from '../../../../src/engine/builder/import-image.js';
import type { BuildImageStore } from '../../../../src/engine/builder/image-commit.js';

describe('docker import: what is refused before the tarball is read', () => {
  it('names the image from ?repo= (the CLI sends the whole reference) and ?tag=', () => {
    assert.equal(importReference('busybox:latest', undefined), 'busybox:latest');
    assert.equal(importReference('busybox', undefined), 'busybox:latest');
    assert.equal(importReference('busybox', 'v1'), 'busybox:v1');
    assert.equal(importReference('localhost:5000/app', 'v2'), 'localhost:5000/app:v2');
    assert.equal(importReference(undefined, undefined), undefined);
    assert.throws(() => importReference(`busybox@sha256:${'a'.repeat(64)}`, undefined), /^AppError: cannot import digest reference$/);
  });

  const deps = { paths: enginePaths('/nonexistent-root'), images: {} as BuildImageStore };
  it('a URL source: refused with the way round, the body left unread', async () => {
    await assert.rejects(importImage(deps, Readable.from([]), { source: 'http://example.com/rootfs.tar', changes: [] }), (e) => isAppError(e, 'INVALID_ARGUMENT') && /not from a URL/.test(e.message) && /curl/.test(e.suggestions[0]));
  });
  it('a --change dockerd does not take, in its words', async () => {
    await assert.rejects(importImage(deps, Readable.from([]), { source: '-', changes: ['RUN echo hi'] }), /^AppError: run is not a valid change command$/);
  });
});
