// The sandboxes of hosted seats, made through the VmProvider interface (ADR 0006) by the VM service: a
// QEMU vm on the teacher's machine, or a host of the hosts file through the ssh provider. What differs
// between them is declared, not guessed: a provider with the 'snapshots' capability gets a snapshot at
// the lab's start right after it is made, and a reset restores it in place; the others are reset by
// handing the seat a fresh sandbox from the pool (hosted-seats.ts). A host of a hosts file outlives its
// sandboxes: each seat's labs run in a folder of its own there (seatLabRoot), and destroying the sandbox
// removes that folder, unmounting first what a lab left mounted in it (an overlay's merged/), so the next
// student on the host finds none of it.
import { messageOf } from '../../core/errors.js';
import type { Guest } from '../../vm/guest.js';
import { createProvider } from '../../vm/provider-registry.js';
import { hasCapability, type VmProvider, type VmProviderName, type VmSpec } from '../../vm/vm-provider.js';
import { VmService } from '../../vm/vm-service.js';
import type { SeatHost } from './hosts-file.js';

/** the snapshot a hosted QEMU seat is reset to: its state when the pool made it */
export const SEAT_START_SNAPSHOT = 'class-start';

/** where a hosted seat's labs live ($LAB_DIR is <this>/<lab id>) on a host that may hold several seats */
export function seatLabRoot(vm: string): string {
  return `/tmp/boxlab-seats/${vm}`;
}

/**
 * removes a seat's folder on its host ($1): what a lab left mounted under it goes first, deepest first
 * (removing through an overlay would reach into its layers; a mount that does not go stops the wipe),
 * then the files. Refuses any path that is not a seat's folder.
 */
export const SEAT_WIPE_SCRIPT = `root="$1"
case "$root" in /tmp/boxlab-seats/seat-*) ;; *) echo "not a seat's folder: $root" >&2; exit 2 ;; esac
[ -d "$root" ] || exit 0
awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" || { echo "cannot unmount $m" >&2; exit 3; }
done || exit 3
rm -rf "$root"`;

export interface SeatSandboxes {
  /** makes the sandbox and leaves it running, ready for a student (on `host` for a hosts file) */
  provision(vm: string, host?: SeatHost): Promise<void>;
  /** does it still answer (a command run in it within a few seconds)? */
  alive(vm: string): Promise<boolean>;
  /** back to how it was made, in place; false when this provider cannot (no snapshots) */
  resetInPlace(vm: string): Promise<boolean>;
  destroy(vm: string): Promise<void>;
  /** a connected guest for the seat's lab page; the caller closes it */
  guest(vm: string): Promise<Guest>;
  readonly provider: VmProviderName;
  readonly vms: VmService;
}

export interface VmSeatSandboxesOptions {
  provider: 'qemu' | 'ssh';
  memoryMiB?: number;
  /** where the vm records live (default $BOXLAB_HOME/vms) */
  root?: string;
  progress?: (line: string) => void;
  /** how long a sandbox has to answer `true` before it counts as dead */
  aliveTimeoutMs?: number;
}

export class VmSeatSandboxes implements SeatSandboxes {
  readonly provider: VmProviderName;
  readonly vms: VmService;
  private readonly p: Promise<VmProvider>;

  constructor(private readonly options: VmSeatSandboxesOptions) {
    this.provider = options.provider;
    // one provider object for the pool: the ssh provider keeps each host's connection for the next call
    this.p = createProvider(options.provider, { warn: options.progress });
    this.vms = new VmService({ root: options.root, progress: options.progress, providerFor: () => this.p });
  }

  async provision(vm: string, host?: SeatHost): Promise<void> {
    const spec: VmSpec = { cpus: 1, memoryMiB: this.options.memoryMiB ?? 1024 };
    if (host) spec.ssh = { host: host.host, port: host.port, user: host.user, ...(host.identity ? { identity: host.identity } : {}) };
    const made = await this.vms.create(vm, this.provider, spec);
    if (made.state !== 'running') await this.vms.start(vm);
    if (hasCapability(await this.p, 'snapshots')) await this.vms.snapshot(vm, SEAT_START_SNAPSHOT);
    // a warm sandbox holds no connection open (the ssh provider kept the one create made): the seat's page opens its own
    await (await this.vms.guest(vm)).close?.();
  }

  async alive(vm: string): Promise<boolean> {
    const timeoutMs = this.options.aliveTimeoutMs ?? 10_000;
    // a connection of its own, closed after: the pool's provider keeps the one the seat's page uses
    const fresh = new VmService({ root: this.options.root, providerFor: () => createProvider(this.options.provider, { warn: () => undefined }) });
    const answer = (async () => {
      const s = await fresh.inspect(vm);
      if (s?.state !== 'running') return false;
      const g = await fresh.guest(vm);
      try {
        return (await g.exec(['true'], { timeoutMs })).exitCode === 0;
      } finally {
        await g.close?.();
      }
    })().catch(() => false);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs + 2000)));
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async resetInPlace(vm: string): Promise<boolean> {
    if (!hasCapability(await this.p, 'snapshots')) return false;
    await this.vms.restore(vm, SEAT_START_SNAPSHOT);
    return true;
  }

  /** a host of a hosts file is wiped of the seat's folder first; a host that does not answer is only forgotten */
  async destroy(vm: string): Promise<void> {
    if (this.provider === 'ssh') await this.wipe(vm).catch((err: unknown) => this.options.progress?.(`sandbox ${vm}: the seat's folder ${seatLabRoot(vm)} could not be removed: ${messageOf(err)}`));
    await this.vms.delete(vm);
  }

  private async wipe(vm: string): Promise<void> {
    if ((await this.vms.inspect(vm))?.state !== 'running') return;
    const g = await this.vms.guest(vm);
    const r = await g.exec(['sh', '-c', SEAT_WIPE_SCRIPT, 'sh', seatLabRoot(vm)], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw new Error(r.stderr.trim() || `exit ${r.exitCode}`);
  }

  guest(vm: string): Promise<Guest> {
    return this.vms.guest(vm);
  }
}
