import assert from 'node:assert/strict';
import { labNetworkSpecs, parseCopyArgs, parseMemory } from '../../../src/vm/vm-cli-options.js';

describe('vm cli options', () => {
  it('parses memory sizes', () => {
    assert.equal(parseMemory('2G'), 2048);
    assert.equal(parseMemory('1536M'), 1536);
    assert.equal(parseMemory('1.5GiB'), 1536);
    assert.equal(parseMemory('768'), 768);
    assert.throws(() => parseMemory('lots'), /invalid memory size "lots"/);
  });

  it('gives vms created together addresses on one lab network, and the peers by name', () => {
    const nets = labNetworkSpecs(['n1', 'n2', 'n3'], 'labnet');
    const n1 = nets.get('n1')!;
    const n3 = nets.get('n3')!;
    assert.equal(n1.name, 'labnet');
    assert.match(n1.address, /^10\.10\.\d+\.11\/24$/);
    assert.match(n3.address, /^10\.10\.\d+\.13\/24$/);
    assert.deepEqual(Object.keys(n1.peers), ['n1', 'n2', 'n3']);
    assert.equal(labNetworkSpecs(['a'], undefined).size, 0);
    assert.throws(() => labNetworkSpecs(['a'], 'Bad Net'), /invalid network name/);
  });

  it('tells which side of vm cp is in the vm', () => {
    assert.deepEqual(parseCopyArgs('./app', 'lab1:/root/app'), { direction: 'to-vm', vm: 'lab1', hostPath: './app', guestPath: '/root/app' });
    assert.deepEqual(parseCopyArgs('lab1:/root/out.txt', '.'), { direction: 'from-vm', vm: 'lab1', guestPath: '/root/out.txt', hostPath: '.' });
    assert.throws(() => parseCopyArgs('a', 'b'), /exactly one side/);
    assert.throws(() => parseCopyArgs('a:/x', 'b:/y'), /exactly one side/);
  });
});
