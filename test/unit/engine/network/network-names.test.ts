// The names checked before they reach `ip -batch`, `iptables-restore` or /etc/hosts (network-names.ts), as
// declared cases. `dockerd` records what Debian's dockerd 20.10 answered to the same bridge name
// (docker network create -o com.docker.network.bridge.name=<name>), when it refused it.
import assert from 'node:assert/strict';
import { AppError } from '../../../../src/core/errors.js';
import { hostsSection } from '../../../../src/engine/network/hosts-entries.js';
import { chainNames, restoreInput, ruleLine } from '../../../../src/engine/network/iptables-rules.js';
import { adoptBridgeCommands, bridgeCommands, hostSideCommands, sandboxCommands } from '../../../../src/engine/network/link-commands.js';
import {
  boolOption,
  checkAliases,
  checkBridgeName,
  checkDriverOptions,
  checkHostname,
  checkIpv4Address,
  interfaceNameProblem,
} from '../../../../src/engine/network/network-names.js';

interface BridgeCase {
  name: string;
  /** undefined: accepted */
  problem?: RegExp;
  dockerd?: string;
}

const BRIDGE_CASES: BridgeCase[] = [
  { name: 'br-lab' },
  { name: 'mybridge0' },
  { name: 'a.b_c-d' },
  { name: 'x'.repeat(15) },
  { name: 'x\nlink del lo', problem: /it contains a newline/, dockerd: 'invalid argument' },
  // the newline is named first, also in a name that is too long and has spaces
  { name: 'x type bridge\nlink del eth0', problem: /it contains a newline/ },
  { name: 'x\rlink del lo', problem: /a carriage return/ },
  { name: 'a b', problem: /a space/, dockerd: 'invalid argument' },
  { name: 'a\tb', problem: /a tab/ },
  { name: 'a/b', problem: /contains "\/"/, dockerd: 'invalid argument' },
  { name: '..', problem: /it is "\.\."/, dockerd: 'invalid argument' },
  { name: '.', problem: /it is "\."/ },
  { name: 'abcdefghijklmnopq', problem: /17 bytes long, the kernel allows at most 15/, dockerd: 'failed to check bridge interface existence: numerical result out of range' },
  // 8 characters, 16 bytes in UTF-8: the kernel counts bytes
  { name: 'éééééééé', problem: /16 bytes long/ },
  { name: 'a:b', problem: /contains ":"/ },
  // the kernel takes these, `ip -batch` does not read them as part of the name
  { name: 'a#b', problem: /contains "#"/ },
  { name: 'a"b', problem: /contains """/ },
  { name: "a'b", problem: /contains "'"/ },
  { name: 'a\\b', problem: /contains "\\"/ },
  // "br%d" is a template: the kernel would name it br0
  { name: 'br%d', problem: /contains "%"/ },
  { name: 'a\u0001b', problem: /control character/ },
  { name: '', problem: /it is empty/ },
];

describe('network names (checked before ip -batch, iptables-restore and /etc/hosts)', () => {
  for (const c of BRIDGE_CASES) {
    it(`bridge name ${JSON.stringify(c.name)}: ${c.problem ? 'refused' : 'accepted'}${c.dockerd ? ` (dockerd: ${c.dockerd})` : ''}`, () => {
      if (!c.problem) {
        assert.equal(interfaceNameProblem(c.name), undefined);
        assert.equal(checkBridgeName(c.name), c.name);
        return;
      }
      assert.match(interfaceNameProblem(c.name) ?? '', c.problem);
      assert.throws(
        () => checkBridgeName(c.name),
        (err: AppError) => err.code === 'INVALID_ARGUMENT' && err.message.startsWith(`invalid argument: bridge name ${JSON.stringify(c.name)}`) && !err.message.includes('\n'),
      );
    });
  }

  it('driver options: strings only; booleans as Go parses them, in dockerd words; unknown options kept', () => {
    assert.deepEqual(checkDriverOptions({ 'com.docker.unknown.opt': '1' }), { 'com.docker.unknown.opt': '1' });
    assert.deepEqual(checkDriverOptions(null), {});
    assert.throws(
      () => checkDriverOptions({ 'com.docker.network.bridge.enable_icc': 'maybe' }),
      { message: 'failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing "maybe": invalid syntax)' },
    );
    assert.throws(() => checkDriverOptions({ 'com.docker.network.bridge.name': 'x\nlink del lo' }), /bridge name "x\\nlink del lo"/);
    assert.throws(() => checkDriverOptions({ a: 1 }), /invalid network option "a": expected a string value, found 1/);
    assert.throws(() => checkDriverOptions('x'), /expected an object/);
    assert.equal(boolOption({ 'com.docker.network.bridge.enable_icc': 'F' }, 'com.docker.network.bridge.enable_icc', true), false);
    assert.equal(boolOption({}, 'com.docker.network.bridge.enable_icc', true), true);
  });

  it('aliases, hostnames and addresses: one word of /etc/hosts, or refused with the value shown escaped', () => {
    assert.deepEqual(checkAliases(['db', 'db.local', 'my_db-1']), ['db', 'db.local', 'my_db-1']);
    assert.deepEqual(checkAliases(null), []);
    assert.throws(() => checkAliases(['x\n10.0.0.9 evil']), { message: /^invalid network alias "x\\n10\.0\.0\.9 evil": use letters/ });
    assert.throws(() => checkAliases(['a b']), /invalid network alias "a b"/);
    assert.throws(() => checkAliases([7]), /invalid network alias "7"/);
    assert.throws(() => checkAliases('db'), /expected a list of names/);
    assert.equal(checkHostname('web.example'), 'web.example');
    assert.throws(() => checkHostname('a\nb'), /invalid hostname "a\\nb"/);
    assert.equal(checkIpv4Address('10.0.0.5'), '10.0.0.5');
    assert.equal(checkIpv4Address(''), undefined);
    // dockerd 20.10: "invalid IPv4 address: 10.98.0.5 x"
    assert.throws(() => checkIpv4Address('10.98.0.5 x'), { message: 'invalid IPv4 address: 10.98.0.5 x' });
  });
});

describe('the builders refuse a value that would add a line or a word (the last guard)', () => {
  const internalError = (err: AppError) => err.code === 'INTERNAL' && /would change the meaning/.test(err.message);

  it('ip -batch lines', () => {
    assert.throws(() => bridgeCommands('x\nlink del lo', '10.0.0.1', 24), internalError);
    assert.throws(() => adoptBridgeCommands('a b', '10.0.0.1', 24), internalError);
    assert.throws(() => bridgeCommands('br-x', '10.0.0.1 x', 24), internalError);
    assert.throws(() => hostSideCommands('veth1', 'br#x'), internalError);
    assert.throws(() => sandboxCommands({ ifName: 'eth0', vethHost: 'v', mac: 'm', ip: '10.0.0.2\nlink del lo', prefix: 24 }, 1), internalError);
    assert.deepEqual(adoptBridgeCommands('br-lab', '10.0.0.1', 24), ['addr replace 10.0.0.1/24 dev br-lab', 'link set dev br-lab up']);
  });

  it('iptables-restore lines', () => {
    const c = chainNames('BOXLAB-t');
    assert.throws(() => ruleLine('-A', { chain: c.forward, args: ['-i', 'br\n-A FORWARD -j ACCEPT', '-j', 'DROP'] }), internalError);
    assert.throws(
      () => restoreInput(c, [{ table: 'filter', chain: c.forward, args: ['-m', 'comment', '--comment', 'a\rb', '-j', 'ACCEPT'], purpose: 'icc-accept' }], []),
      internalError,
    );
    // a space is fine: the argument is quoted
    assert.equal(ruleLine('-A', { chain: c.dnat, args: ['--comment', 'web 8080/tcp'] }), '-A BOXLAB-t-DNAT --comment "web 8080/tcp"');
  });

  it('/etc/hosts lines', () => {
    assert.throws(() => hostsSection({ ip: '10.0.0.3', hostname: 'abc' }, [{ ip: '10.0.0.2', names: ['db\n6.6.6.6 bank.example'] }]), internalError);
    assert.throws(() => hostsSection({ ip: '10.0.0.3', hostname: 'a b' }, []), internalError);
  });
});
