import assert from 'node:assert/strict';
import { contains, intToIp, ipToInt, macForIp, nthAddress, overlaps, parseSubnet } from '../../../../src/engine/network/ipv4.js';

describe('ipv4', () => {
  it('converts addresses to numbers and back', () => {
    assert.equal(ipToInt('10.0.0.1'), 167772161);
    assert.equal(intToIp(167772161), '10.0.0.1');
    assert.equal(intToIp(ipToInt('255.255.255.255')), '255.255.255.255');
    assert.throws(() => ipToInt('10.0.0.256'), /invalid IPv4 address "10.0.0.256"/);
  });

  it('parses a CIDR to its network address and refuses what is not one', () => {
    assert.equal(parseSubnet('10.77.0.9/24').cidr, '10.77.0.0/24');
    assert.equal(parseSubnet('172.17.0.0/16').prefix, 16);
    assert.throws(() => parseSubnet('10.77.0.0'), /expected an IPv4 CIDR/);
    assert.throws(() => parseSubnet('10.77.0.0/31'), /prefix from \/8 to \/30/);
  });

  it('tells overlapping subnets apart from neighbours', () => {
    assert.ok(overlaps(parseSubnet('10.77.0.0/16'), parseSubnet('10.77.5.0/24')));
    assert.ok(overlaps(parseSubnet('10.77.5.0/24'), parseSubnet('10.77.0.0/16')));
    assert.ok(!overlaps(parseSubnet('10.77.0.0/24'), parseSubnet('10.77.1.0/24')));
    assert.ok(contains(parseSubnet('10.77.0.0/24'), '10.77.0.200'));
    assert.ok(!contains(parseSubnet('10.77.0.0/24'), '10.77.1.1'));
  });

  it("gives Docker's gateway and MAC", () => {
    assert.equal(nthAddress(parseSubnet('172.17.0.0/16'), 1), '172.17.0.1');
    assert.equal(macForIp('172.17.0.2'), '02:42:ac:11:00:02');
  });
});
