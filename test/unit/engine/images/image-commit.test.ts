import assert from 'node:assert/strict';
import { commitDiffIdProblem } from '../../../../src/engine/images/image-commit.js';

describe('commit: the new config\'s rootfs.diff_ids are the parent\'s plus the new layer\'s', () => {
  const d = (c: string) => `sha256:${c.repeat(64)}`;
  const parent = [{ digest: d('9'), diffId: d('1'), chainId: d('1'), mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 1 }];
  const layer = { file: '/tmp/layer.tar', diffId: d('2') };

  it('accepts the parent\'s layers and the new one, in order', () => assert.equal(commitDiffIdProblem([d('1'), d('2')], parent, layer), undefined));
  it('accepts a config-only step (no new layer)', () => assert.equal(commitDiffIdProblem([d('1')], parent), undefined));
  it('refuses a missing new layer', () => assert.match(commitDiffIdProblem([d('1')], parent, layer) ?? '', /rootfs.diff_ids \(1\) do not match the parent's layers plus the new one \(2\)/));
  it('refuses layers in another order', () => assert.ok(commitDiffIdProblem([d('2'), d('1')], parent, layer)));
});
