// The iptables rules of boxlab's bridge networks, built by pure functions from the desired state (the
// networks and the endpoints of running containers), in the style of Docker's own chains:
//   nat    <P>-DNAT         published ports: DNAT host port -> container ip:port   (Docker: DOCKER)
//   nat    <P>-POSTROUTING  MASQUERADE for egress and for connections from 127.0.0.1 (route_localnet)
//   filter <P>-FORWARD      conntrack, published ports, icc, --internal          (Docker: DOCKER-FORWARD)
//   filter <P>-ISOLATION    drops traffic between two different networks        (Docker: DOCKER-ISOLATION-STAGE-1/2)
//                           except connections to a published port (DNAT), which dockerd lets through too
// Each rule carries its purpose, so `boxlab explain` can say what it is for. The whole set is written
// at once by iptables-restore --noflush (declaring a chain empties it), so the rules always equal the
// desired state: that is also how a restart after a crash rebuilds them. That input is text, one rule a
// line: every argument goes through assertOneLine (network-names.ts), so no value can add a rule.
import { assertOneLine } from './network-names.js';
import type { PortMapping } from './network-record.js';

export const RULE_PURPOSES = [
  'jump',
  'dnat',
  'masquerade',
  'localhost-masquerade',
  'hairpin',
  'isolation',
  'isolation-published',
  'internal-drop',
  'established',
  'publish-accept',
  'icc-accept',
  'icc-drop',
  'egress-accept',
] as const;
export type RulePurpose = (typeof RULE_PURPOSES)[number];

export interface Rule {
  table: 'nat' | 'filter';
  chain: string;
  /** the rule's match and target, as iptables arguments after `-A <chain>` */
  args: string[];
  purpose: RulePurpose;
  /** the container the rule is for (published ports), to show it in that container's explain */
  containerId?: string;
  network?: string;
}

export interface RulesNetwork {
  name: string;
  bridge: string;
  subnet: string;
  internal: boolean;
  icc: boolean;
  endpoints: Array<{ containerId: string; name: string; ip: string; ports: PortMapping[] }>;
}

export interface Chains {
  dnat: string;
  postrouting: string;
  forward: string;
  isolation: string;
}

/** "BOXLAB" -> BOXLAB-DNAT, ...; an engine with its own root gets its own prefix (several engines on one host) */
export function chainNames(prefix: string): Chains {
  return { dnat: `${prefix}-DNAT`, postrouting: `${prefix}-POSTROUTING`, forward: `${prefix}-FORWARD`, isolation: `${prefix}-ISOLATION` };
}

/** the rules in the built-in chains that send packets into boxlab's chains */
export function jumpRules(c: Chains): Rule[] {
  return [
    // LOCAL: addressed to one of the host's own addresses, 127.0.0.1 included (OUTPUT sees the host's own connections)
    { table: 'nat', chain: 'PREROUTING', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', c.dnat], purpose: 'jump' },
    { table: 'nat', chain: 'OUTPUT', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', c.dnat], purpose: 'jump' },
    { table: 'nat', chain: 'POSTROUTING', args: ['-j', c.postrouting], purpose: 'jump' },
    { table: 'filter', chain: 'FORWARD', args: ['-j', c.forward], purpose: 'jump' },
  ];
}

const comment = (text: string) => ['-m', 'comment', '--comment', text];

export function buildRules(c: Chains, networks: RulesNetwork[]): Rule[] {
  const rules: Rule[] = [];
  const add = (table: Rule['table'], chain: string, args: string[], purpose: RulePurpose, extra: Partial<Rule> = {}) =>
    rules.push({ table, chain, args, purpose, ...extra });

  add('filter', c.forward, ['-j', c.isolation], 'jump');
  // a published port reached via a host address from another network: DNAT in PREROUTING has already made
  // it go to the published container's bridge, so the bridge-to-bridge drops below would see it as crossing
  // networks. dockerd lets it through too (its docker-proxy on the host answers it); conntrack's DNAT state
  // matches both directions of those connections only, so direct traffic between networks stays dropped
  if (networks.length > 1) add('filter', c.isolation, ['-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'RETURN'], 'isolation-published');
  for (const a of networks) {
    for (const b of networks) {
      if (a.bridge !== b.bridge) add('filter', c.isolation, ['-i', a.bridge, '-o', b.bridge, '-j', 'DROP'], 'isolation', { network: a.name });
    }
  }
  for (const n of networks) {
    const br = n.bridge;
    if (n.internal) {
      add('filter', c.forward, ['-i', br, '!', '-o', br, '-j', 'DROP'], 'internal-drop', { network: n.name });
      add('filter', c.forward, ['!', '-i', br, '-o', br, '-j', 'DROP'], 'internal-drop', { network: n.name });
    }
    add('filter', c.forward, ['-o', br, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'], 'established', { network: n.name });
    for (const e of n.internal ? [] : n.endpoints) {
      for (const p of e.ports) {
        add('filter', c.forward, ['-d', `${e.ip}/32`, '!', '-i', br, '-o', br, '-p', p.proto, '-m', p.proto, '--dport', String(p.containerPort), '-j', 'ACCEPT'], 'publish-accept', { containerId: e.containerId, network: n.name });
      }
    }
    add('filter', c.forward, ['-i', br, '-o', br, '-j', n.icc ? 'ACCEPT' : 'DROP'], n.icc ? 'icc-accept' : 'icc-drop', { network: n.name });
    if (!n.internal) {
      add('filter', c.forward, ['-i', br, '!', '-o', br, '-j', 'ACCEPT'], 'egress-accept', { network: n.name });
      add('nat', c.postrouting, ['-s', n.subnet, '!', '-o', br, '-j', 'MASQUERADE'], 'masquerade', { network: n.name });
    }
    // with route_localnet a packet from 127.0.0.1 may go out on the bridge, but the container would answer
    // its own loopback: the source must become the bridge's address
    add('nat', c.postrouting, ['-s', '127.0.0.0/8', '-o', br, '-j', 'MASQUERADE'], 'localhost-masquerade', { network: n.name });
    for (const e of n.internal ? [] : n.endpoints) {
      for (const p of e.ports) {
        const dst = p.hostIp ? ['-d', `${p.hostIp}/32`] : [];
        const to = `${e.ip}:${p.containerPort}`;
        add('nat', c.dnat, [...dst, '-p', p.proto, '-m', p.proto, '--dport', String(p.hostPort), ...comment(`${e.name} ${p.hostPort}/${p.proto}`), '-j', 'DNAT', '--to-destination', to], 'dnat', { containerId: e.containerId, network: n.name });
        add('nat', c.postrouting, ['-s', `${e.ip}/32`, '-d', `${e.ip}/32`, '-p', p.proto, '-m', p.proto, '--dport', String(p.containerPort), '-j', 'MASQUERADE'], 'hairpin', { containerId: e.containerId, network: n.name });
      }
    }
  }
  return rules;
}

/** one argument for iptables-restore's line format: quoted when it has spaces */
function quote(arg: string): string {
  return /[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg;
}

export function ruleLine(op: '-A' | '-D' | '-I', rule: Pick<Rule, 'chain' | 'args'>): string {
  return [op, rule.chain, ...rule.args].map((arg) => quote(assertOneLine(arg, 'iptables argument'))).join(' ');
}

/**
 * iptables-restore --noflush input that makes boxlab's chains hold exactly `rules`, and adds the jumps
 * that are missing (`haveJump` says which are there already).
 */
export function restoreInput(c: Chains, rules: Rule[], missingJumps: Rule[]): string {
  const lines: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    lines.push(`*${table}`);
    const chains = table === 'nat' ? [c.dnat, c.postrouting] : [c.forward, c.isolation];
    for (const chain of chains) lines.push(`:${assertOneLine(chain, 'chain name')} - [0:0]`);
    for (const r of rules.filter((r) => r.table === table)) lines.push(ruleLine('-A', r));
    // FORWARD: first, before any other engine's rules (Docker inserts its jump the same way)
    for (const j of missingJumps.filter((r) => r.table === table)) lines.push(ruleLine(j.chain === 'FORWARD' ? '-I' : '-A', j));
    lines.push('COMMIT');
  }
  return lines.join('\n') + '\n';
}

/** input that removes every jump into boxlab's chains and the chains themselves */
export function teardownInput(c: Chains, presentJumps: Rule[]): string {
  const lines: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    lines.push(`*${table}`);
    for (const j of presentJumps.filter((r) => r.table === table)) lines.push(ruleLine('-D', j));
    const chains = table === 'nat' ? [c.dnat, c.postrouting] : [c.forward, c.isolation];
    for (const chain of chains) lines.push(`:${chain} - [0:0]`);
    for (const chain of chains) lines.push(`-X ${chain}`);
    lines.push('COMMIT');
  }
  return lines.join('\n') + '\n';
}
