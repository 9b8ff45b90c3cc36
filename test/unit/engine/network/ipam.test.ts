import assert from 'node:assert/strict';
import { allocateAddress } from '../../../../src/engine/network/ipam.js';
import { parseSubnet } from '../../../../src/engine/network/ipv4.js';

describe('IPAM (allocateAddress)', () => {
  const subnet = parseSubnet('10.9.0.0/29'); // 10.9.0.1-6 usable, .1 the gateway

  it('hands out addresses in order, skipping the gateway and what is booked', () => {
    const book: Record<string, string> = {};
    const got: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ip = allocateAddress(subnet, '10.9.0.1', book);
      book[ip] = `c${i}`;
      got.push(ip);
    }
    assert.deepEqual(got, ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
    assert.throws(() => allocateAddress(subnet, '10.9.0.1', book), /no free address left in subnet 10.9.0.0\/29/);
  });

  it('never gives an address twice: a released one is reused only after it is out of the book', () => {
    const book: Record<string, string> = { '10.9.0.2': 'a', '10.9.0.3': 'b' };
    assert.equal(allocateAddress(subnet, '10.9.0.1', book), '10.9.0.4');
    delete book['10.9.0.2'];
    assert.equal(allocateAddress(subnet, '10.9.0.1', book), '10.9.0.2');
  });

  it('honours --ip when it is free and inside the subnet', () => {
    assert.equal(allocateAddress(subnet, '10.9.0.1', {}, '10.9.0.5'), '10.9.0.5');
    assert.throws(() => allocateAddress(subnet, '10.9.0.1', { '10.9.0.5': 'x' }, '10.9.0.5'), /already in use/);
    assert.throws(() => allocateAddress(subnet, '10.9.0.1', {}, '10.9.0.1'), /already in use/);
    assert.throws(() => allocateAddress(subnet, '10.9.0.1', {}, '10.8.0.5'), /not in the network's subnet/);
  });
});
