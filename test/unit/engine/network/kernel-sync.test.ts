// Which rules of the whole set go into a container's trace (what `boxlab explain` shows for it).
import assert from 'node:assert/strict';
import { chainNames } from '../../../../src/engine/network/iptables-rules.js';
import { desiredRules, rulesOfContainer } from '../../../../src/engine/network/kernel-sync.js';
import { newNetworkRecord } from '../../../../src/engine/network/network-book.js';

describe('kernel sync', () => {
  it("a container's trace gets its own published ports and its networks' rules, not the jumps nor the others'", () => {
    const n = newNetworkRecord('app', '10.1.0.0/24', '10.1.0.1', 'br-app');
    const other = newNetworkRecord('other', '10.3.0.0/24', '10.3.0.1', 'br-other');
    const ep = (id: string, ip: string, hostPort: number) => ({ endpointId: id, containerId: id, name: id, ip, mac: '', vethHost: `v${id}`, ifName: 'eth0', netnsPath: '', ports: [{ proto: 'tcp' as const, hostIp: '', hostPort, containerPort: 80 }] });
    n.endpoints.a = ep('a', '10.1.0.2', 8080);
    n.endpoints.b = ep('b', '10.1.0.3', 8081);
    other.endpoints.c = ep('c', '10.3.0.2', 8082);
    const rules = desiredRules(chainNames('BOXLAB-t'), [n, other]);
    const traced = rulesOfContainer(rules, 'a', new Set(['app']));
    assert.ok(traced.some((r) => r.purpose === 'dnat' && r.rule.includes('10.1.0.2:80')));
    assert.ok(!traced.some((r) => r.rule.includes('10.1.0.3:80') || r.rule.includes('10.3.0.2')), 'no other container\'s ports');
    assert.ok(!traced.some((r) => r.purpose === 'jump'));
    assert.ok(traced.every((r) => r.rule.startsWith(`iptables -t ${r.table} -A `)));
    assert.ok(traced.some((r) => r.network === 'app' && r.purpose === 'masquerade'));
    assert.ok(!traced.some((r) => r.network === 'other' && !r.rule.includes('10.1.0.2')), 'no rule of a network it is not on, besides its own');
  });
});
