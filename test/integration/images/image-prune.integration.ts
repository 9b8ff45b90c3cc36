import assert from 'node:assert/strict';
import { useEngine } from '../../helpers/engine-suite.js';

// docker image prune with the real CLI against boxlabd: dangling images only, then -a (every image no
// container uses), never an image a container (even a stopped one) uses.
describe('docker image prune against boxlabd (root, runc)', function () {
  this.timeout(120_000);
  const engine = useEngine();

  /** a new image from busybox with one changed file, committed under `tag` */
  async function commit(tag: string, content: string): Promise<string> {
    const name = `prune-src-${content}`;
    await engine.dockerOk(['run', '--name', name, 'busybox', 'sh', '-c', `echo ${content} > /made-by-test`]);
    const id = (await engine.dockerOk(['commit', name, tag])).trim();
    await engine.dockerOk(['rm', name]);
    return id;
  }

  it('removes dangling images only; -a also removes tagged images no container uses', async () => {
    const old = await commit('mine:1', 'one');
    const current = await commit('mine:1', 'two'); // the tag moves: the first image is now dangling
    const used = await commit('used:1', 'three');
    await engine.dockerOk(['create', '--name', 'holder', 'used:1', 'true']);
    assert.equal((await engine.dockerOk(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).trim(), old);

    const pruned = await engine.dockerOk(['image', 'prune', '-f']);
    assert.match(pruned, new RegExp(`^Deleted Images:\\ndeleted: ${old}$`, 'm'));
    assert.match(pruned, /^Total reclaimed space: \d/m);
    assert.equal((await engine.dockerOk(['images', '-q', '--filter', 'dangling=true'])).trim(), '');
    const left = (await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').sort();
    assert.deepEqual(left, ['busybox:latest', 'mine:1', 'used:1']);
    // nothing dangling left: a second prune deletes nothing
    assert.match(await engine.dockerOk(['image', 'prune', '-f']), /^Total reclaimed space: 0B$/m);

    const all = await engine.dockerOk(['image', 'prune', '-a', '-f']);
    assert.match(all, /^untagged: mine:1$/m);
    assert.match(all, new RegExp(`^deleted: ${current}$`, 'm'));
    assert.doesNotMatch(all, new RegExp(used));
    const after = (await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n');
    assert.ok(after.includes('used:1'), 'the image a stopped container uses stays');
    assert.ok(!after.includes('mine:1'));
    // the container still starts from its image
    await engine.dockerOk(['start', '-a', 'holder']);
  });
});
