// Applies the rule set of iptables-rules.ts to the kernel. The backend (nf_tables or legacy) is the one
// the host's `iptables` alternative points to, as reported by `iptables --version`; every call uses
// argument arrays and one iptables-restore per change, so a change is atomic.
import { run } from '../../core/exec.js';
import { jumpRules, restoreInput, teardownInput, type Chains, type Rule } from './iptables-rules.js';
import { parseIptablesSave, sameRule } from './iptables-save.js';

export type IptablesBackend = 'nft' | 'legacy';

export function parseBackend(versionOutput: string): IptablesBackend {
  return /nf_tables/.test(versionOutput) ? 'nft' : 'legacy';
}

export class Iptables {
  private backend?: IptablesBackend;
  private jumpsChecked = false;

  constructor(private readonly chains: Chains) {}

  async detectBackend(): Promise<IptablesBackend> {
    this.backend ??= parseBackend((await run('iptables', ['--version'])).stdout);
    return this.backend;
  }

  private async save(): Promise<string> {
    const [nat, filter] = await Promise.all([run('iptables-save', ['-t', 'nat']), run('iptables-save', ['-t', 'filter'])]);
    return nat.stdout + '\n' + filter.stdout;
  }

  private async presentJumps(): Promise<Rule[]> {
    const saved = parseIptablesSave(await this.save());
    return jumpRules(this.chains).filter((j) => saved.rules.some((r) => sameRule(r, j)));
  }

  /** can the kernel's packet filter be read? (it cannot when the netfilter modules are not loaded) */
  async probe(): Promise<void> {
    await this.save();
  }

  /** makes boxlab's chains hold exactly these rules */
  async apply(rules: Rule[]): Promise<void> {
    let missing: Rule[] = [];
    if (!this.jumpsChecked) {
      const present = await this.presentJumps();
      missing = jumpRules(this.chains).filter((j) => !present.some((p) => sameRule(p, j)));
    }
    await run('iptables-restore', ['--noflush'], { input: restoreInput(this.chains, rules, missing) });
    this.jumpsChecked = true;
  }

  /** removes the jumps and the chains (nothing of boxlab is left in iptables-save) */
  async teardown(): Promise<void> {
    const saved = parseIptablesSave(await this.save());
    const present = jumpRules(this.chains).filter((j) => saved.rules.some((r) => sameRule(r, j)));
    const haveChains = [...(saved.chains.get('nat') ?? []), ...(saved.chains.get('filter') ?? [])].some((c) => Object.values(this.chains).includes(c));
    if (present.length || haveChains) await run('iptables-restore', ['--noflush'], { input: teardownInput(this.chains, present) });
    this.jumpsChecked = false;
  }
}

/** what the network plane needs from iptables */
export type RuleWriter = Pick<Iptables, 'detectBackend' | 'probe' | 'apply' | 'teardown'>;
