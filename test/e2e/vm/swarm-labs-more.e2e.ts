// The second Swarm node set (swarm-labs.e2e.ts says why two): stacks and overlay networks, replayed on
// three docker nodes of their own while the first set replays the cluster and services labs in another
// CI lane (ADR 0033). The same contract: checks fail before each step and pass after, and `lab stop` then
// `vm delete` leave nothing.
import { SWARM_LABS_MORE } from './swarm-lab-sets.js';
import { describeNodeSet } from './swarm-node-set.js';

describeNodeSet('swarm labs on a second node set of qemu vms (e2e, TCG)', (nodes) => {
  it(`replays ${SWARM_LABS_MORE.join(', ')} on one set of nodes, restoring them between labs, and leaves nothing behind`, async () => {
    await nodes.startCold(SWARM_LABS_MORE[0]!);
    for (const id of SWARM_LABS_MORE) await nodes.replay(id);
    await nodes.stopAndDelete();
  });
});
