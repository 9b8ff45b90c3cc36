// The kernel follows the records: with containers attached, boxlab's whole iptables rule set
// (iptables-rules.ts) is written in one iptables-restore; with none, boxlab's chains and the default
// bridge go, so an idle engine (or a stopped one) leaves the host as it was. A `docker run --rm` right
// after another should not pay for a new bridge and new chains, so the teardown waits a moment.
// Nor for the same rules again: a start that changes nothing in the rule set (a container without
// published ports joining a network that has its rules) writes nothing; the rules are the ones already in
// the kernel, as in dockerd, which writes a network's rules once (issue 19: a process less per start).
// It also remembers whether the kernel's packet filter (netfilter) answered: without it there is no
// bridge network, and the error says how to fix it (network-errors.ts packetFilterUnusable).
import { isAppError, type AppError } from '../../core/errors.js';
import { buildRules, ruleLine, type Chains, type Rule } from './iptables-rules.js';
import { packetFilterUnusable } from './network-errors.js';
import type { NetworkRecord } from './network-record.js';
import type { Tracer } from '../trace/tracer.js';
import type { RuleWriter } from './iptables.js';
import type { NetworkBook } from './network-book.js';

/** how long an engine with no container on a network keeps the default bridge and its chains */
export const IDLE_TEARDOWN_MS = 2000;

export interface KernelSyncOptions {
  iptables: RuleWriter;
  chains: Chains;
  networks(): NetworkRecord[];
  /** runs `fn` in the plane's queue (the idle teardown is a change like the others) */
  serial(fn: () => Promise<void>): Promise<void>;
  /** what an idle engine removes besides the chains: the default bridge */
  teardownIdle(): Promise<void>;
}

/** a rule line for a container's trace: what `iptables -t <table> -A ...` added for it */
export interface TracedRule {
  purpose: Rule['purpose'];
  table: Rule['table'];
  rule: string;
  network?: string;
}

/** the rules of the set that concern `containerId`: its own (published ports) and those of its networks */
export function rulesOfContainer(rules: Rule[], containerId: string, itsNetworks: Set<string>): TracedRule[] {
  return rules
    .filter((r) => r.purpose !== 'jump' && (r.containerId ? r.containerId === containerId : itsNetworks.has(r.network ?? '')))
    .map((r) => ({ purpose: r.purpose, table: r.table, rule: `iptables -t ${r.table} ${ruleLine('-A', r)}`, network: r.network }));
}

/** the rule set the records ask for */
export function desiredRules(chains: Chains, networks: NetworkRecord[]): Rule[] {
  return buildRules(
    chains,
    networks.map((n) => ({ name: n.Name, bridge: n.bridge, subnet: n.Subnet, internal: n.Internal, icc: n.icc, endpoints: Object.values(n.endpoints) })),
  );
}

export class KernelSync {
  /** unknown at start (a crash may have left them): teardown looks before it removes */
  private rulesMayExist = true;
  /** the rule set last written (its JSON), while the kernel holds it; undefined: write at the next sync */
  private written?: string;
  private idleTimer?: NodeJS.Timeout;
  /** why the kernel's packet filter could not be used the last time it was tried (cleared when it works again) */
  private filterProblem?: AppError;
  private filterChecked = false;

  constructor(private readonly options: KernelSyncOptions) {}

  private hasEndpoints(): boolean {
    return this.options.networks().some((n) => Object.keys(n.endpoints).length > 0);
  }

  /** writes the rule set, or schedules the idle teardown; returns the rules written (none when idle) */
  async sync(): Promise<Rule[]> {
    this.cancelIdle();
    if (this.hasEndpoints()) return this.apply();
    this.idleTimer = setTimeout(() => void this.options.serial(() => this.teardownIfIdle()).catch(() => undefined), IDLE_TEARDOWN_MS);
    this.idleTimer.unref();
    return [];
  }

  cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private async teardownIfIdle(): Promise<void> {
    this.idleTimer = undefined;
    if (this.hasEndpoints()) return;
    // an unusable packet filter holds no rules of ours to remove; the bridge goes all the same
    this.written = undefined;
    if (this.rulesMayExist) await this.options.iptables.teardown().then(() => (this.rulesMayExist = false), (err) => void this.failed(err));
    await this.options.teardownIdle();
  }

  private async apply(): Promise<Rule[]> {
    const rules = desiredRules(this.options.chains, this.options.networks());
    const text = JSON.stringify(rules);
    if (text === this.written) return rules;
    this.rulesMayExist = true;
    this.written = undefined;
    try {
      await this.options.iptables.apply(rules);
    } catch (err) {
      throw this.failed(err);
    }
    this.written = text;
    return rules;
  }

  /** engine stop: boxlab's chains go (the caller checked that no container is attached) */
  async teardown(): Promise<void> {
    this.cancelIdle();
    this.written = undefined;
    await this.options.iptables.teardown();
    this.rulesMayExist = false;
  }

  /**
   * The backend (nft or legacy), once the kernel's packet filter has answered. Read once at start-up
   * (reconcile) and again only after it failed, so that `modprobe` fixes it without an engine restart.
   */
  async usablePacketFilter(): Promise<string> {
    try {
      const backend = await this.options.iptables.detectBackend();
      if (this.filterProblem || !this.filterChecked) await this.options.iptables.probe();
      this.filterChecked = true;
      this.filterProblem = undefined;
      return backend;
    } catch (err) {
      throw this.failed(err);
    }
  }

  /** a failure of iptables, as the clear error the user sees (remembered: the next attach checks again) */
  private failed(err: unknown): AppError {
    const problem = isAppError(err) && err.message.startsWith('cannot set up the bridge network') ? err : packetFilterUnusable(err);
    this.filterProblem = problem;
    return problem;
  }
}

/** the kernel brought to the records; the rules that concern `containerId` go into its trace */
export interface KernelSyncContext {
  kernel: KernelSync;
  book: Pick<NetworkBook, 'endpointsOf'>;
  trace(containerId: string | undefined, step: Parameters<Tracer['emit']>[1], details: Record<string, unknown>): void;
}

export async function syncKernel(ctx: KernelSyncContext, containerId?: string, backend?: string): Promise<void> {
  const rules = await ctx.kernel.sync();
  if (!containerId) return;
  const mine = new Set(ctx.book.endpointsOf(containerId).map((e) => e.network.Name));
  for (const r of rulesOfContainer(rules, containerId, mine)) ctx.trace(containerId, 'network.rule', { ...r, backend });
}
