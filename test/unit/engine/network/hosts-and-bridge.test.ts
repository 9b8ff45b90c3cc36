import assert from 'node:assert/strict';
import { defaultBridge, subnetPool } from '../../../../src/engine/network/default-bridge.js';
import { hostsSection, parseLink } from '../../../../src/engine/network/hosts-entries.js';
import { bridgeCommands, hostSideCommands, sandboxCommands } from '../../../../src/engine/network/link-commands.js';

describe('name entries for /etc/hosts', () => {
  it("the container's own address first, then its peers with name, aliases and short id", () => {
    assert.equal(
      hostsSection({ ip: '10.0.0.3', hostname: 'abc' }, [{ ip: '10.0.0.2', names: ['db', 'database', 'db'] }]),
      '10.0.0.3\tabc\n# boxlab: containers on the same user-defined networks (and --link)\n10.0.0.2\tdb database\n',
    );
    assert.equal(hostsSection({ hostname: 'x' }, []), '');
  });

  it('reads --link in the forms the API sends', () => {
    assert.deepEqual(parseLink('db:database'), { target: 'db', alias: 'database' });
    assert.deepEqual(parseLink('/db:/web/database'), { target: 'db', alias: 'database' });
    assert.deepEqual(parseLink('db'), { target: 'db', alias: 'db' });
  });
});

describe('default bridge and ip commands', () => {
  it('boxlab0 and 172.17.0.0/16 for the default root; another root gets its own bridge, /24 and chain prefix', () => {
    assert.deepEqual(defaultBridge('/var/lib/boxlab'), { bridge: 'boxlab0', subnet: '172.17.0.0/16', chainPrefix: 'BOXLAB' });
    const a = defaultBridge('/tmp/a/root');
    const b = defaultBridge('/tmp/b/root');
    assert.notEqual(a.bridge, b.bridge);
    assert.notEqual(a.chainPrefix, b.chainPrefix);
    assert.ok(a.bridge.length <= 15, 'Linux interface names have at most 15 characters');
    assert.ok(`${a.chainPrefix}-POSTROUTING`.length <= 28, 'iptables chain names have at most 28 characters');
    assert.match(a.subnet, /^10\.\d+\.\d+\.0\/24$/);
    assert.deepEqual(defaultBridge('/tmp/a/root', { bridgeName: 'blt-x', bridgeSubnet: '10.1.0.0/24' }).bridge, 'blt-x');
    assert.equal([...subnetPool()][0], '172.18.0.0/16');
  });

  it('builds the ip -batch lines: bridge, sandbox side (eth0, address, default route), host side', () => {
    // its own MAC: a bridge without one takes its lowest port's, which a new veth may change (the flake of embedded-dns)
    assert.deepEqual(bridgeCommands('br-x', '10.0.0.1', 24), ['link add name br-x address 02:42:0a:00:00:01 type bridge', 'addr add 10.0.0.1/24 dev br-x', 'link set dev br-x up']);
    const inside = sandboxCommands({ ifName: 'eth0', vethHost: 'veth1234567', mac: '02:42:0a:00:00:02', ip: '10.0.0.2', prefix: 24, gateway: '10.0.0.1' }, 42);
    assert.equal(inside[0], 'link add eth0 address 02:42:0a:00:00:02 type veth peer name veth1234567 netns 42');
    assert.equal(inside.at(-1), 'route replace default via 10.0.0.1');
    assert.ok(!sandboxCommands({ ifName: 'eth1', vethHost: 'v', mac: 'm', ip: 'i', prefix: 24 }, 1).some((l) => l.startsWith('route')));
    // a network's mtu (dockerd's mtu for the default bridge) on both ends; the bridge follows its ports
    const small = sandboxCommands({ ifName: 'eth0', vethHost: 'veth1234567', mac: '02:42:0a:00:00:02', ip: '10.0.0.2', prefix: 24, mtu: 1400 }, 42);
    assert.equal(small[0], 'link add eth0 mtu 1400 address 02:42:0a:00:00:02 type veth peer name veth1234567 mtu 1400 netns 42');
    assert.deepEqual(hostSideCommands('veth1234567', 'br-x'), ['link set dev veth1234567 master br-x', 'link set dev veth1234567 up']);
  });
});
