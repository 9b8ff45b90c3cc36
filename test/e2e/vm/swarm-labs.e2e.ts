// Every Swarm lab of labs/ replayed on real QEMU VMs (TCG here), as CI runs the multi-node course within
// its time (issue 17, ADR 0018 decision 5): the labs share a node set and restore its snapshots between
// them. Two node sets, each in its own e2e file and CI lane so they run at the same time (swarm-lab-sets.ts,
// ADR 0033): this file's and swarm-labs-more.e2e.ts's. Here also: the docker node's two engines, and a
// second lab's `lab start` reusing the running nodes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { listLabs } from '../../../src/labs/lab-loader.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';
import { SWARM_LABS, SWARM_LABS_MORE, SWARM_LABS_NOT_YET_REPLAYED } from './swarm-lab-sets.js';
import { describeNodeSet, NODES, say, since } from './swarm-node-set.js';

/** a lab whose `lab start` shows that a second Swarm lab reuses the running nodes (its setup forms the swarm) */
const SECOND_START = '31-swarm-services';

describe('swarm labs: the list', () => {
  it('names every multi-node lab of labs/: replayed on a node set, or not yet with what was seen', async () => {
    const multiNode = (await listLabs(path.join(REPO_ROOT, 'labs'))).filter((l) => l.lab.nodes).map((l) => path.basename(l.dir));
    assert.deepEqual(multiNode, [...SWARM_LABS, ...SWARM_LABS_MORE, ...Object.keys(SWARM_LABS_NOT_YET_REPLAYED)].sort());
  });
});

describeNodeSet('swarm labs on one node set of qemu vms (e2e, TCG)', (nodes) => {
  it(`replays ${SWARM_LABS.join(', ')} on one set of nodes, restoring them between labs, and leaves nothing behind`, async () => {
    await nodes.startCold(SWARM_LABS[0]!);
    // a docker node (ADR 0008): the shell's docker is Debian's dockerd 20.10; boxlabd still answers at its own
    // socket for the lab checks, and the two engines' bridges take different ranges
    const onManager = async (script: string) => (await nodes.boxlab('vm', 'exec', 'manager1', '--', 'sh', '-c', script)).stdout;
    assert.match(await onManager("docker version --format '{{.Server.Version}}'"), /^20\.10\./);
    // (boxlabd makes its bridge for a container on it and drops it when idle: one runs while the addresses are read)
    const boxlabd = 'DOCKER_HOST=unix:///run/boxlab/docker.sock docker';
    assert.equal(await onManager(`${boxlabd} run --rm busybox echo boxlabd`), 'boxlabd\n');
    await onManager(`${boxlabd} run -d --name e2e-variant busybox sleep 300 >/dev/null`);
    assert.match(await onManager('ip -4 -o addr show dev boxlab0; ip -4 -o addr show dev docker0'), /boxlab0\s+inet 172\.17\.0\.1\/16[\s\S]*docker0\s+inet 172\.18\.0\.1\/16/);
    await onManager(`${boxlabd} rm -f e2e-variant >/dev/null`);

    // every Swarm lab has the same nodes and lab network: the next lab's start reuses the running nodes
    const t0 = Date.now();
    const reused = await nodes.boxlab('lab', 'start', SECOND_START);
    for (const n of NODES) assert.match(reused.stderr, new RegExp(`${n}: running \\(reused`), reused.stderr);
    say(`lab start ${SECOND_START} on the running nodes: ${since(t0)}`);

    for (const id of SWARM_LABS) await nodes.replay(id);
    await nodes.stopAndDelete();
  });
});
