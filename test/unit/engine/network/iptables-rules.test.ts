import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRules, chainNames, jumpRules, restoreInput, ruleLine, teardownInput, type RulesNetwork } from '../../../../src/engine/network/iptables-rules.js';
import { parseIptablesSave, sameRule, splitRuleArgs } from '../../../../src/engine/network/iptables-save.js';
import { parseBackend } from '../../../../src/engine/network/iptables.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/outputs/network');

// the desired state that test/fixtures/outputs/network/iptables-save-nft.txt was recorded from (iptables 1.8.9 nf_tables)
const chains = chainNames('BOXLAB-fixt01');
const networks: RulesNetwork[] = [
  {
    name: 'bridge',
    bridge: 'bxlfixt01',
    subnet: '10.231.7.0/24',
    internal: false,
    icc: true,
    endpoints: [
      {
        containerId: 'a'.repeat(64),
        name: 'web',
        ip: '10.231.7.2',
        ports: [
          { proto: 'tcp', hostIp: '', hostPort: 18080, containerPort: 80 },
          { proto: 'udp', hostIp: '127.0.0.1', hostPort: 15353, containerPort: 53 },
        ],
      },
    ],
  },
  { name: 'backend', bridge: 'br-fixt01', subnet: '10.232.7.0/24', internal: true, icc: false, endpoints: [] },
];

describe('iptables rules (pure, checked against recorded iptables-save output)', () => {
  const saved = parseIptablesSave(readFileSync(path.join(FIXTURES, 'iptables-save-nft.txt'), 'utf8'));
  const rules = buildRules(chains, networks);

  it('every rule built is in the recorded iptables-save output, written the same way', () => {
    for (const r of [...rules, ...jumpRules(chains)]) {
      assert.ok(saved.rules.some((s) => sameRule(s, r)), `missing: ${ruleLine('-A', r)}`);
    }
    const ours = saved.rules.filter((s) => s.chain.startsWith('BOXLAB-fixt01') || s.args.some((a) => a.startsWith('BOXLAB-fixt01')));
    assert.equal(ours.length, rules.length + jumpRules(chains).length, 'and nothing else');
  });

  it('publishing: DNAT on the host port (host ip when given), forward accept and hairpin for the container port', () => {
    const dnat = rules.filter((r) => r.purpose === 'dnat').map((r) => ruleLine('-A', r));
    assert.deepEqual(dnat, [
      '-A BOXLAB-fixt01-DNAT -p tcp -m tcp --dport 18080 -m comment --comment "web 18080/tcp" -j DNAT --to-destination 10.231.7.2:80',
      '-A BOXLAB-fixt01-DNAT -d 127.0.0.1/32 -p udp -m udp --dport 15353 -m comment --comment "web 15353/udp" -j DNAT --to-destination 10.231.7.2:53',
    ]);
    assert.ok(rules.every((r) => (r.purpose === 'dnat' || r.purpose === 'hairpin' || r.purpose === 'publish-accept') === Boolean(r.containerId)));
  });

  it('localhost publishing: MASQUERADE of 127.0.0.0/8 towards each bridge (route_localnet alone is not enough)', () => {
    assert.deepEqual(
      rules.filter((r) => r.purpose === 'localhost-masquerade').map((r) => r.args.join(' ')),
      ['-s 127.0.0.0/8 -o bxlfixt01 -j MASQUERADE', '-s 127.0.0.0/8 -o br-fixt01 -j MASQUERADE'],
    );
  });

  it('isolation both ways between networks; --internal drops both directions and has no MASQUERADE; icc=false drops bridge to bridge', () => {
    assert.deepEqual(rules.filter((r) => r.purpose === 'isolation').map((r) => r.args.join(' ')), ['-i bxlfixt01 -o br-fixt01 -j DROP', '-i br-fixt01 -o bxlfixt01 -j DROP']);
    assert.equal(rules.filter((r) => r.network === 'backend' && r.purpose === 'internal-drop').length, 2);
    assert.ok(!rules.some((r) => r.network === 'backend' && (r.purpose === 'masquerade' || r.purpose === 'egress-accept')));
    assert.ok(rules.some((r) => r.network === 'backend' && r.purpose === 'icc-drop' && r.args.join(' ') === '-i br-fixt01 -o br-fixt01 -j DROP'));
    // the internal drops come before the conntrack accept of that bridge
    const backend = rules.filter((r) => r.network === 'backend' && r.table === 'filter' && r.chain === chains.forward);
    assert.equal(backend[0].purpose, 'internal-drop');
  });

  it('a published port reached from another network passes isolation (DNAT state, both directions); plain traffic across networks does not', () => {
    const isolation = rules.filter((r) => r.chain === chains.isolation).map((r) => `${r.purpose}: ${r.args.join(' ')}`);
    // first in the chain, before the bridge-to-bridge drops; it matches only connections DNAT rewrote (published ports)
    assert.deepEqual(isolation, [
      'isolation-published: -m conntrack --ctstate DNAT -j RETURN',
      'isolation: -i bxlfixt01 -o br-fixt01 -j DROP',
      'isolation: -i br-fixt01 -o bxlfixt01 -j DROP',
    ]);
    // the internal network's drops live in the FORWARD chain after the jump: an internal network still cannot reach a published port
    const forward = rules.filter((r) => r.chain === chains.forward);
    assert.equal(forward[0].args.join(' '), `-j ${chains.isolation}`);
    assert.ok(forward.findIndex((r) => r.purpose === 'internal-drop') > 0);
    // one network alone has nothing to isolate from
    assert.deepEqual(buildRules(chains, networks.slice(0, 1)).filter((r) => r.chain === chains.isolation), []);
  });

  it('restore input declares (and so empties) only boxlab chains and adds the missing jumps; FORWARD jumps go first', () => {
    const input = restoreInput(chains, rules, jumpRules(chains));
    assert.match(input, /^\*nat\n:BOXLAB-fixt01-DNAT - \[0:0\]\n:BOXLAB-fixt01-POSTROUTING - \[0:0\]\n/);
    assert.doesNotMatch(input, /^:(PREROUTING|OUTPUT|POSTROUTING|FORWARD) /m, 'built-in chains are never declared (that would flush them)');
    assert.match(input, /^-I FORWARD -j BOXLAB-fixt01-FORWARD$/m);
    assert.match(input, /^-A OUTPUT -m addrtype --dst-type LOCAL -j BOXLAB-fixt01-DNAT$/m);
    assert.equal(restoreInput(chains, rules, []).includes('-j BOXLAB-fixt01-DNAT\n'), false);
  });

  it('teardown deletes the jumps that are present, then the chains', () => {
    const present = jumpRules(chains).filter((j) => saved.rules.some((s) => sameRule(s, j)));
    assert.equal(present.length, 4);
    const input = teardownInput(chains, present);
    assert.match(input, /-D PREROUTING -m addrtype --dst-type LOCAL -j BOXLAB-fixt01-DNAT\n/);
    assert.match(input, /-X BOXLAB-fixt01-ISOLATION\n/);
    assert.ok(input.indexOf('-D FORWARD') < input.indexOf('-X BOXLAB-fixt01-FORWARD'));
  });

  it('parses quoted comments and the backend from iptables --version', () => {
    assert.deepEqual(splitRuleArgs('-A X -m comment --comment "web 80/tcp" -j ACCEPT'), ['-A', 'X', '-m', 'comment', '--comment', 'web 80/tcp', '-j', 'ACCEPT']);
    assert.equal(parseBackend('iptables v1.8.9 (nf_tables)'), 'nft');
    assert.equal(parseBackend('iptables v1.8.9 (legacy)'), 'legacy');
  });
});
