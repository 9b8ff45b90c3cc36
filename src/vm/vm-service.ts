// VmService: the one place the CLI calls for sandboxes. It owns the VM records and the rollback of a
// half-created VM: the record is written as "creating" before the provider does anything, turns
// "created" at the end, and a failure or Ctrl-C in between destroys what was made. A record left
// "creating" by a killed process (its creator pid is gone) is listed as "broken" and cleaned up by the
// next create (or delete) of that name.
import { AppError, isAppError, notFound } from '../core/errors.js';
import type { Guest } from './guest.js';
import { stopForwarder } from './docker-env.js';
import { createProvider } from './provider-registry.js';
import { VmRecordStore, checkVmName, type VmRecord } from './vm-record.js';
import { qemuPreflight } from './preflight.js';
import { vmImagesCache, vmsDir } from './vm-home.js';
import type { VmCapability, VmHandle, VmProvider, VmProviderName, VmSpec, VmStatus } from './vm-provider.js';

export interface VmServiceOptions {
  /** where records live; default ~/.local/share/boxlab/vms */
  root?: string;
  progress?: (line: string) => void;
  /** provider lookup, replaceable in tests */
  providerFor?: (name: VmProviderName) => VmProvider | Promise<VmProvider>;
}

export interface VmSummary {
  name: string;
  provider: VmProviderName;
  /** creating: a create is under way; broken: a create was killed half-way (delete or create again) */
  state: VmStatus['state'] | 'creating' | 'broken';
  address?: string;
  cpus: number;
  memoryMiB: number;
  network?: string;
  /** the lab network's members by name -> address (qemu: 10.10.x.y; multipass: its own addresses, from the join) */
  peers?: Record<string, string>;
  /** the image variant: 'docker' when Debian's dockerd runs next to boxlabd */
  engine: 'boxlabd' | 'docker';
  /** why the provider could not say (state "missing"): its daemon is down, the host does not answer */
  problem?: { message: string; suggestions: string[] };
}

export class VmService {
  readonly records: VmRecordStore;
  private readonly progress: (line: string) => void;
  private readonly providerFor: (name: VmProviderName) => VmProvider | Promise<VmProvider>;

  constructor(options: VmServiceOptions = {}) {
    this.records = new VmRecordStore(options.root ?? vmsDir());
    this.progress = options.progress ?? (() => undefined);
    this.providerFor = options.providerFor ?? ((n) => createProvider(n, { warn: this.progress }));
  }

  /** creates and starts a VM; an existing complete VM is returned as it is (idempotent) */
  async create(name: string, provider: VmProviderName, spec: VmSpec): Promise<VmSummary> {
    checkVmName(name);
    const existing = await this.records.get(name);
    if (existing?.phase === 'created') {
      if (existing.provider !== provider) {
        throw new AppError('ALREADY_EXISTS', `vm "${name}" already exists with provider ${existing.provider}`, {
          suggestions: [`delete it first: boxlab vm delete ${name}`, 'or pick another name'],
        });
      }
      return this.summary(existing);
    }
    const p = await this.providerFor(provider);
    const creator = existing?.data[CREATOR_PID];
    if (existing && creator !== process.pid && creatorAlive(creator)) {
      throw new AppError('FAILED_PRECONDITION', `vm "${name}" is being created by another boxlab (pid ${String(creator)})`, {
        suggestions: ['wait for it to finish: boxlab vm list', 'or pick another name'],
      });
    }
    if (existing) {
      this.progress(`vm "${name}": cleaning up a half-created vm left by an interrupted create`);
      await (await this.providerFor(existing.provider)).destroy(this.handle(existing));
      await this.records.remove(name);
    }
    await p.validate(spec);
    await this.preflight(name, provider, spec);
    const record: VmRecord = { name, provider, phase: 'creating', createdAt: new Date().toISOString(), spec, data: { [CREATOR_PID]: process.pid } };
    await this.records.put(record);
    const handle = this.handle(record);
    const undo = async () => {
      await p.destroy(handle).catch(() => undefined);
      await this.records.remove(name);
    };
    // Ctrl-C while creating: roll back, then exit as an interrupted program would
    let interrupted: Promise<void> | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      this.progress(`vm "${name}": interrupted, removing the half-created vm`);
      interrupted = undo().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      this.progress(`vm "${name}": creating with ${provider}`);
      await p.create(handle, this.progress);
      this.progress(`vm "${name}": starting`);
      await p.start(handle);
      record.phase = 'created';
      delete record.data[CREATOR_PID];
      await this.records.put(record);
    } catch (err) {
      // after Ctrl-C the boot fails too (its qemu is gone): the rollback under way ends the process with 130
      if (interrupted) await interrupted;
      await undo();
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return this.summary(record);
  }

  /** after the VMs of one lab network are created: the provider names them to each other (multipass); qemu needs nothing */
  async joinLabNetwork(network: string, names: readonly string[]): Promise<Record<string, string> | undefined> {
    const records = await Promise.all(names.map((n) => this.require(n)));
    const provider = records[0] && (await this.providerFor(records[0].provider));
    if (!provider?.joinLabNetwork || records.some((r) => r.provider !== records[0]!.provider)) return undefined;
    this.progress(`lab network "${network}": writing each vm's peers into its /etc/hosts`);
    return provider.joinLabNetwork(network, records.map((r) => this.handle(r)));
  }

  async list(): Promise<VmSummary[]> {
    const out: VmSummary[] = [];
    for (const r of await this.records.list()) out.push(await this.summary(r));
    return out;
  }

  /** one vm's summary, or undefined when boxlab has no record of it */
  async inspect(name: string): Promise<VmSummary | undefined> {
    checkVmName(name);
    const r = await this.records.get(name);
    return r && this.summary(r);
  }

  async start(name: string): Promise<VmSummary> {
    const r = await this.require(name);
    if ((await this.summary(r)).state !== 'running') await this.preflight(name, r.provider, r.spec);
    await (await this.providerFor(r.provider)).start(this.handle(r));
    return this.summary(r);
  }

  async stop(name: string): Promise<VmSummary> {
    const r = await this.require(name);
    await stopForwarder(this.records.dir(name));
    await (await this.providerFor(r.provider)).stop(this.handle(r));
    return this.summary(r);
  }

  /** deleting a VM that does not exist is not an error (idempotent), it reports false */
  async delete(name: string): Promise<boolean> {
    checkVmName(name);
    const r = await this.records.get(name);
    if (!r) return false;
    await stopForwarder(this.records.dir(name));
    await (await this.providerFor(r.provider)).destroy(this.handle(r));
    await this.records.remove(name);
    return true;
  }

  async guest(name: string): Promise<Guest> {
    const r = await this.require(name);
    return (await this.providerFor(r.provider)).guest(this.handle(r));
  }

  async snapshot(name: string, snapshot: string): Promise<void> {
    const { provider, handle } = await this.withSnapshots(name);
    checkVmName(snapshot);
    await provider.snapshot!(handle, snapshot);
  }

  async restore(name: string, snapshot: string): Promise<void> {
    const { provider, handle } = await this.withSnapshots(name);
    await provider.restore!(handle, snapshot);
  }

  /** the snapshot of several VMs of one provider at one instant (a multi-node lab's nodes); one by one where the provider cannot */
  async snapshotGroup(names: readonly string[], snapshot: string): Promise<void> {
    checkVmName(snapshot);
    const all = await Promise.all(names.map((n) => this.withSnapshots(n)));
    const first = all[0]?.provider;
    if (first?.snapshotGroup && all.every((a) => a.provider.name === first.name)) return first.snapshotGroup(all.map((a) => a.handle), snapshot);
    for (const a of all) await a.provider.snapshot!(a.handle, snapshot);
  }

  /** several VMs back to one snapshot together (running ones loaded, stopped ones started from it) */
  async restoreGroup(names: readonly string[], snapshot: string): Promise<void> {
    const all = await Promise.all(names.map((n) => this.withSnapshots(n)));
    const first = all[0]?.provider;
    if (first?.restoreGroup && all.every((a) => a.provider.name === first.name)) return first.restoreGroup(all.map((a) => a.handle), snapshot);
    for (const a of all) await a.provider.restore!(a.handle, snapshot);
  }

  /** what the vm's provider can do (vm-provider.ts VM_CAPABILITIES), from its record */
  async capabilities(name: string): Promise<readonly VmCapability[]> {
    return (await this.providerFor((await this.require(name)).provider)).capabilities;
  }

  async snapshots(name: string): Promise<string[]> {
    const { provider, handle } = await this.withSnapshots(name);
    return provider.listSnapshots ? provider.listSnapshots(handle) : [];
  }

  async record(name: string): Promise<VmRecord> {
    return this.require(name);
  }

  /** memory and disk on this host, before a qemu vm starts (other providers run elsewhere or check themselves) */
  private async preflight(name: string, provider: VmProviderName, spec: VmSpec): Promise<void> {
    if (provider === 'qemu') await qemuPreflight(name, spec.memoryMiB, { vmsRoot: this.records.root, imageCache: vmImagesCache() });
  }

  private async withSnapshots(name: string): Promise<{ provider: VmProvider; handle: VmHandle }> {
    const r = await this.require(name);
    const provider = await this.providerFor(r.provider);
    if (!provider.capabilities.includes('snapshots') || !provider.snapshot || !provider.restore) {
      throw new AppError('FAILED_PRECONDITION', `vm "${name}" (provider ${r.provider}) cannot take snapshots`, {
        suggestions: ['use the qemu or multipass provider for snapshots'],
      });
    }
    return { provider, handle: this.handle(r) };
  }

  private async require(name: string): Promise<VmRecord> {
    checkVmName(name);
    const r = await this.records.get(name);
    if (!r) throw notFound(`vm "${name}" not found`, { suggestions: ['list vms: boxlab vm list', `create it: boxlab vm create ${name}`] });
    return r;
  }

  private handle(record: VmRecord): VmHandle {
    const store = this.records;
    return {
      name: record.name,
      dir: store.dir(record.name),
      spec: record.spec,
      data: record.data,
      async save(patch) {
        Object.assign(record.data, patch);
        await store.put(record);
      },
    };
  }

  private async summary(r: VmRecord): Promise<VmSummary> {
    const base = { name: r.name, provider: r.provider, cpus: r.spec.cpus, memoryMiB: r.spec.memoryMiB, network: r.spec.network?.name, peers: peersOf(r), engine: r.spec.engine ?? 'boxlabd' };
    if (r.phase === 'creating') return { ...base, state: creatorAlive(r.data[CREATOR_PID]) ? 'creating' : 'broken' };
    try {
      const s = await (await this.providerFor(r.provider)).status(this.handle(r));
      return { ...base, state: s.state, address: s.address };
    } catch (err) {
      if (isAppError(err)) return { ...base, state: 'missing', problem: { message: err.message, suggestions: err.suggestions } };
      throw err;
    }
  }
}

/** multipass learns its peers' addresses at the join (record data); qemu's are chosen up front (spec) */
function peersOf(r: VmRecord): Record<string, string> | undefined {
  const joined = r.data.labPeers;
  if (joined && typeof joined === 'object') return joined as Record<string, string>;
  return r.spec.network?.peers;
}

/** the pid of the process creating a vm, kept in the record until the create ends */
const CREATOR_PID = 'creatorPid';

function creatorAlive(pid: unknown): boolean {
  if (typeof pid !== 'number') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
