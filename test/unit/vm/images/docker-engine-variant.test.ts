// The docker image variant as recipe data: its own cache key, Debian's engine binaries and the Swarm /
// overlay kernel modules added, the boxlabd recipe untouched (same hash as before the variant existed).
import assert from 'node:assert/strict';
import { DOCKER_ENGINE_BINARIES, isImageVariant, withImageVariant } from '../../../../src/vm/images/docker-engine-variant.js';
import { defaultQemuRecipe, recipeHash } from '../../../../src/vm/images/qemu-image-recipe.js';

describe('docker engine image variant', () => {
  const base = defaultQemuRecipe('linux-image-6.1.0-56-amd64', ['ext4', 'vxlan']);
  const inputs = [{ name: '/usr/sbin/runc', digest: '1' }];

  it('hashes into its own cache folder, and leaves the boxlabd recipe and its hash as they were', () => {
    const docker = withImageVariant(base, 'docker', ['ip_vs']);
    assert.notEqual(recipeHash(docker, inputs), recipeHash(base, inputs));
    const boxlabd = withImageVariant(base, 'boxlabd', ['ip_vs']);
    assert.equal(boxlabd, base);
    assert.ok(!('variant' in boxlabd), 'the boxlabd recipe has no variant key, so its hash is the one of before');
    assert.equal(recipeHash(boxlabd, inputs), recipeHash(defaultQemuRecipe('linux-image-6.1.0-56-amd64', ['ext4', 'vxlan']), inputs));
  });

  it("adds Debian's dockerd, containerd, its runc shim, docker-proxy and docker-init, keeping every base binary", () => {
    const docker = withImageVariant(base, 'docker', []);
    const paths = docker.binaries.map((b) => b.path);
    for (const p of ['/usr/sbin/dockerd', '/usr/bin/containerd', '/usr/bin/containerd-shim-runc-v2', '/usr/sbin/docker-proxy', '/usr/bin/docker-init']) {
      assert.ok(paths.includes(p), `${p} is in the docker variant`);
      assert.ok(!base.binaries.some((b) => b.path === p), `${p} is not in the boxlabd image`);
    }
    for (const b of base.binaries) assert.ok(paths.includes(b.path), `${b.path} stays`);
    assert.ok(paths.includes('/usr/sbin/runc'), 'runc comes from the base recipe');
    assert.equal(docker.binaries.length, base.binaries.length + DOCKER_ENGINE_BINARIES.length);
  });

  it('adds the IPVS and overlay modules once (vxlan is already in the base list)', () => {
    const docker = withImageVariant(base, 'docker', ['ip_vs', 'ip_vs_rr', 'xt_ipvs', 'vxlan']);
    assert.deepEqual(docker.modules, ['ext4', 'vxlan', 'ip_vs', 'ip_vs_rr', 'xt_ipvs']);
  });

  it('knows its variant names', () => {
    assert.ok(isImageVariant('docker') && isImageVariant('boxlabd'));
    assert.ok(!isImageVariant('podman'));
  });
});
