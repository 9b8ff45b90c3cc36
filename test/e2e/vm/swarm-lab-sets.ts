// Which Swarm lab replays on which node set (issue 17, ADR 0033): two sets of three docker nodes, each in
// its own e2e file and CI lane, so both replay at the same time. The labs of one set restore the set's
// snapshots between them.

/** swarm-labs.e2e.ts: the cluster, services, VXLAN by hand, the engine's API across the network, macvlan on VLANs, one bridge across two hosts, a swarm across a router */
export const SWARM_LABS = ['30-swarm-cluster', '31-swarm-services', '34-cross-host-by-hand', '35-remote-engine', '36-macvlan-vlans', '37-one-bridge-two-hosts', '38-overlay-across-a-router'];
/** swarm-labs-more.e2e.ts: overlay networks, then stacks */
export const SWARM_LABS_MORE = ['33-overlay-networks', '32-swarm-stacks'];
/**
 * Swarm labs on main whose whole replay has not passed on TCG nodes yet, with what was seen: each moves to
 * one of the lists above once it has passed. swarm-labs.e2e.ts keeps every multi-node lab of labs/ in one
 * of the three lists.
 */
export const SWARM_LABS_NOT_YET_REPLAYED: Record<string, string> = {};
