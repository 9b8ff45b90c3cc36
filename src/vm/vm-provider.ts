// VmProvider: what every sandbox technology (Multipass, QEMU, an SSH host, this host) must do, kept
// small like lima's driver interface: validate, create, start, stop, destroy, status, guest. What only
// some can do (snapshots, port forwarding, a lab network) is declared as data in `capabilities`, so
// callers ask instead of catching "not supported" errors. create and destroy are idempotent.
import { AppError } from '../core/errors.js';
import type { Guest } from './guest.js';

/** the sandbox technologies, the one list every --provider flag and check uses (default order: provider-registry.ts) */
export const PROVIDERS = ['multipass', 'qemu', 'ssh', 'local'] as const;
export type VmProviderName = (typeof PROVIDERS)[number];

export function isProviderName(name: string): name is VmProviderName {
  return (PROVIDERS as readonly string[]).includes(name);
}

/** a --provider value, checked: "vbox" -> unknown provider "vbox", with the names there are */
export function parseProviderName(name: string): VmProviderName {
  if (isProviderName(name)) return name;
  throw new AppError('INVALID_ARGUMENT', `unknown provider "${name}"`, { suggestions: [`use one of: ${PROVIDERS.join(', ')}`] });
}

/**
 * memorySnapshots: a snapshot holds the running VM (RAM, devices, the guest's clock: qemu savevm), so a
 * restore resumes at that instant instead of booting; without it (multipass) a snapshot is the stopped
 * VM's disk and a restore boots it
 */
export const VM_CAPABILITIES = ['snapshots', 'memorySnapshots', 'portForwarding', 'labNetwork', 'stopStart', 'vmBoundary'] as const;
export type VmCapability = (typeof VM_CAPABILITIES)[number];

export const VM_STATES = ['running', 'stopped', 'missing'] as const;
export type VmState = (typeof VM_STATES)[number];

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** path to a private key file */
  identity?: string;
}

/** what the user asked for; providers ignore what does not apply to them (an SSH host has its own CPUs) */
export interface VmSpec {
  cpus: number;
  memoryMiB: number;
  /** a lab network shared by the VMs created together (`--network labnet`) */
  network?: { name: string; address: string; peers: Record<string, string> };
  ssh?: SshTarget;
  /** the qemu image variant: 'docker' adds Debian's dockerd next to boxlabd (absent: boxlabd only) */
  engine?: 'boxlabd' | 'docker';
}

/** the provider's view of one VM: where it may keep files, and a place for its own facts (ports, pids) */
export interface VmHandle {
  readonly name: string;
  /** ~/.local/share/boxlab/vms/<name>/ */
  readonly dir: string;
  readonly spec: VmSpec;
  /** provider facts persisted in vm.json (ssh port, qemu pid, multipass instance name) */
  readonly data: Record<string, unknown>;
  /** merges into data and writes vm.json atomically */
  save(patch: Record<string, unknown>): Promise<void>;
}

export interface VmStatus {
  state: VmState;
  /** how to reach it, when known: "127.0.0.1:40222", "10.0.0.5", "this host" */
  address?: string;
  detail?: string;
}

export interface VmProvider {
  readonly name: VmProviderName;
  readonly capabilities: readonly VmCapability[];
  /** host preconditions (binary installed, daemon up, memory) and spec sanity; throws an AppError with a way out */
  validate(spec: VmSpec): Promise<void>;
  /** makes the VM exist (disk, instance); a second call on an existing VM does nothing */
  create(vm: VmHandle, progress?: (line: string) => void): Promise<void>;
  start(vm: VmHandle): Promise<void>;
  stop(vm: VmHandle): Promise<void>;
  /** removes everything the VM owns; a missing VM is not an error */
  destroy(vm: VmHandle): Promise<void>;
  status(vm: VmHandle): Promise<VmStatus>;
  /** a connected guest; callers close() it when done */
  guest(vm: VmHandle): Promise<Guest>;
  /**
   * after the VMs of one `--network` are created: make them reach each other by name, returning name ->
   * address. Only providers whose VMs share a network without names (multipass) have it; QEMU's lab
   * network is named when each VM is created.
   */
  joinLabNetwork?(network: string, vms: readonly VmHandle[]): Promise<Record<string, string>>;
  /** present when capabilities include 'snapshots' */
  snapshot?(vm: VmHandle, snapshot: string): Promise<void>;
  restore?(vm: VmHandle, snapshot: string): Promise<void>;
  listSnapshots?(vm: VmHandle): Promise<string[]>;
  /**
   * several VMs saved (restored) together: qemu pauses them all and saves at one instant; multipass stops
   * them all first (its snapshots need stopped instances), then starts the ones that ran. Without it, one
   * after the other. A restoreGroup leaves every VM running.
   */
  snapshotGroup?(vms: readonly VmHandle[], snapshot: string): Promise<void>;
  restoreGroup?(vms: readonly VmHandle[], snapshot: string): Promise<void>;
}

export function hasCapability(provider: VmProvider, capability: VmCapability): boolean {
  return provider.capabilities.includes(capability);
}
