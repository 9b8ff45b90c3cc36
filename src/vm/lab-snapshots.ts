// Snapshots of a multi-node lab's nodes (ADR 0018): QEMU savevm of every node at one instant (all paused
// meanwhile, so the nodes' connections to each other stay consistent), kept inside each node's own disk.
// Two kinds, both named on every node alike:
//   nodes-fresh           the nodes as they booted, before any lab's setup: a lab without its own
//                         snapshot starts from here, so two labs on the same nodes (the Swarm labs all use
//                         manager1/worker1/worker2) never see each other's leftovers;
//   lab-<id>-start        the nodes right after this lab's setup: `lab reset` and the next `lab start`
//                         restore it instead of running the setup again. Per lab, so labs sharing node
//                         names each keep their own.
// After a restore the guests' clocks are set to this host's time where the snapshot held the running VM
// (qemu: a loadvm brings back the clock of the moment of the savevm: certificates and Swarm's heartbeats
// would see the past). Multipass snapshots are a stopped instance's disk, so its provider stops the nodes
// to save them and boots them after a restore (its clock is right, its lab network named again).
import { createHash } from 'node:crypto';
import type { Guest } from './guest.js';
import { nameLabPeers } from './lab-peers.js';
import { withNodeGuests } from './node-guests.js';
import type { Lab } from '../labs/lab-model.js';
import type { NodeSnapshots } from '../labs/lab-session.js';
import { VM_NAME_PATTERN } from './vm-record.js';
import type { VmService } from './vm-service.js';

/** the nodes as they booted, before any lab's setup */
export const FRESH_SNAPSHOT = 'nodes-fresh';

/**
 * the snapshot of a lab's start on its nodes: `lab-<id>-start`, the lab id lowercased; an id too long
 * for a snapshot name (31 characters, the VM name rule) keeps its start and a short hash of the whole (pure)
 */
export function labSnapshotName(labId: string): string {
  const id = labId.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const full = `lab-${id}-start`;
  if (VM_NAME_PATTERN.test(full)) return full;
  const hash = createHash('sha256').update(labId).digest('hex').slice(0, 6);
  return `lab-${id.slice(0, 31 - 'lab--'.length - '-start'.length - hash.length).replace(/-+$/, '')}-${hash}-start`;
}

/** every VM named has this snapshot */
export async function nodesHaveSnapshot(svc: VmService, names: readonly string[], snapshot: string): Promise<boolean> {
  for (const name of names) {
    const known = await svc.snapshots(name).catch(() => [] as string[]);
    if (!known.includes(snapshot)) return false;
  }
  return names.length > 0;
}

/** saves the snapshot on every node at one instant; returns the ms it took */
export async function saveNodes(svc: VmService, names: readonly string[], snapshot: string, progress?: (line: string) => void): Promise<number> {
  const t0 = Date.now();
  await svc.snapshotGroup(names, snapshot);
  const ms = Date.now() - t0;
  progress?.(`${names.join(', ')}: snapshot "${snapshot}" saved in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

/**
 * every node back to the snapshot together (running ones loaded, stopped ones started from it), each
 * guest's clock set to now; returns the ms it took until every node's engine answered again
 */
export async function restoreNodes(svc: VmService, names: readonly string[], snapshot: string, progress?: (line: string) => void): Promise<number> {
  const t0 = Date.now();
  await svc.restoreGroup(names, snapshot);
  await withNodeGuests(svc, async (guestOf) => {
    await Promise.all(names.map(async (name) => ((await svc.capabilities(name)).includes('memorySnapshots') ? setClock(await guestOf(name)) : undefined)));
    // a snapshot holds the /etc/hosts of its time: a node made since then is named again
    await nameLabPeers(await Promise.all(names.map((n) => svc.record(n))), guestOf);
  });
  const ms = Date.now() - t0;
  progress?.(`${names.join(', ')}: restored "${snapshot}" in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

async function setClock(guest: Guest): Promise<void> {
  await guest.exec(['date', '-u', '-s', `@${Math.floor(Date.now() / 1000)}`], { timeoutMs: 30_000 }).catch(() => undefined);
}

/**
 * the lab's nodes back to how they booted (`nodes-fresh`), before another lab is set up on them: what a
 * CI run that replays several multi-node labs on one node set calls between labs (`lab start --fresh`,
 * `lab test --fresh`); false when the nodes have no such snapshot (nothing was restored)
 */
export async function restoreFreshNodes(svc: VmService, lab: Pick<Lab, 'nodes'>, progress?: (line: string) => void): Promise<boolean> {
  const names = (lab.nodes ?? []).map((n) => n.name);
  if (!(await nodesHaveSnapshot(svc, names, FRESH_SNAPSHOT))) return false;
  await restoreNodes(svc, names, FRESH_SNAPSHOT, progress);
  return true;
}

export interface LabNodeSnapshotOptions {
  progress?: (line: string) => void;
  /** closes the lab session's connections to a node before it is restored (they do not survive a loadvm) */
  release?: (node: string) => Promise<void>;
  /** the nodes are as they booted (just created, or just started from nodes-fresh): no fresh restore needed */
  fresh?: boolean;
  /** the nodes were just started from this lab's start snapshot: the first restore of it is already done */
  atStart?: boolean;
  /** ignore the lab's own start snapshot: set the lab up on fresh nodes and save its start again (`--fresh`) */
  ignoreStart?: boolean;
}

/** the lab session's hook (lab-session.ts setUpLab): restore before a setup, save after it */
export function labNodeSnapshots(svc: VmService, options: LabNodeSnapshotOptions = {}): NodeSnapshots {
  let { fresh, atStart } = options;
  const release = async (names: string[]) => {
    await Promise.all(names.map((n) => options.release?.(n)));
  };
  return {
    async restore(lab) {
      const names = (lab.nodes ?? []).map((n) => n.name);
      const start = labSnapshotName(lab.id);
      if (!options.ignoreStart && (atStart || (await nodesHaveSnapshot(svc, names, start)))) {
        if (!atStart) {
          await release(names);
          await restoreNodes(svc, names, start, options.progress);
        }
        atStart = fresh = false;
        return 'start';
      }
      if (fresh) {
        fresh = false;
        return 'none';
      }
      if (!(await nodesHaveSnapshot(svc, names, FRESH_SNAPSHOT))) return 'none';
      await release(names);
      await restoreNodes(svc, names, FRESH_SNAPSHOT, options.progress);
      return 'fresh';
    },
    async save(lab) {
      const names = (lab.nodes ?? []).map((n) => n.name);
      await release(names);
      await saveNodes(svc, names, labSnapshotName(lab.id), options.progress);
      atStart = fresh = false;
    },
  };
}
