// Host ports of a starting container: its own, the first free of a range, or one picked; never one the
// engine's other containers publish, nor one a host program holds (canBind is a double here).
import assert from 'node:assert/strict';
import type { PortRequest } from '../../../../src/engine/docker-model.js';
import { allocateHostPorts, ephemeralRange, FALLBACK_RANGE, parseLocalPortRange, portTaken } from '../../../../src/engine/network/host-ports.js';

const req = (hostPort: number, extra: Partial<PortRequest> = {}): PortRequest => ({ proto: 'tcp', hostIp: '', hostPort, containerPort: 80, ...extra });
const mapping = (hostPort: number, hostIp = '', proto: 'tcp' | 'udp' = 'tcp') => ({ proto, hostIp, hostPort, containerPort: 80 });

describe('host ports', () => {
  it('a port is taken on the same protocol, by the same address or by every address', () => {
    const inUse = [mapping(8080, '127.0.0.1'), mapping(9090)];
    assert.equal(portTaken(inUse, 'tcp', '127.0.0.1', 8080), true);
    assert.equal(portTaken(inUse, 'tcp', '', 8080), true, 'every address includes 127.0.0.1');
    assert.equal(portTaken(inUse, 'tcp', '10.0.0.1', 8080), false);
    assert.equal(portTaken(inUse, 'udp', '', 9090), false);
    assert.equal(portTaken(inUse, 'tcp', '10.0.0.1', 9090), true);
  });

  it("reads the kernel's ephemeral range as dockerd does, with dockerd's fallback", () => {
    // recorded: Debian 12's /proc/sys/net/ipv4/ip_local_port_range (a tab between the numbers)
    assert.deepEqual(parseLocalPortRange('32768\t60999\n'), { first: 32768, last: 60999 });
    assert.equal(parseLocalPortRange('60999 32768'), undefined);
    assert.equal(parseLocalPortRange('1024'), undefined);
    assert.deepEqual(ephemeralRange(() => '40000 40010'), { first: 40000, last: 40010 });
    assert.deepEqual(ephemeralRange(() => { throw new Error('ENOENT'); }), FALLBACK_RANGE);
    assert.deepEqual(FALLBACK_RANGE, { first: 49153, last: 65535 });
  });

  it('gives each request its port, the first free of its range, or one of the ephemeral range', async () => {
    const busy = new Set([8001, 40001]);
    const requests = [req(8080), req(8000, { hostPortLast: 8003 }), req(8000, { hostPortLast: 8003, containerPort: 81 }), req(0)];
    const got = await allocateHostPorts('web', requests, [mapping(8000), mapping(40000)], async (_p, _ip, port) => !busy.has(port), { first: 40000, last: 40002 });
    // 40002 is the only free port of the range: 40000 is published, a host program holds 40001
    assert.deepEqual(got.map((p) => p.hostPort), [8080, 8002, 8003, 40002]);
    await assert.rejects(allocateHostPorts('web', [req(0)], [mapping(40000)], async (_p, _ip, port) => !busy.has(port), { first: 40000, last: 40001 }), /no free host port left for 80\/tcp/);
    assert.deepEqual(got.map((p) => p.picked), [false, false, false, true]);
  });

  it("refuses a taken port with dockerd's words, naming the range when there was one", async () => {
    await assert.rejects(allocateHostPorts('web', [req(8080)], [mapping(8080)], async () => true), {
      code: 'FAILED_PRECONDITION',
      message: 'driver failed programming external connectivity on endpoint web: Bind for 0.0.0.0:8080 failed: port is already allocated',
    });
    await assert.rejects(allocateHostPorts('web', [req(8000, { hostPortLast: 8001, hostIp: '127.0.0.1' })], [], async () => false), {
      message: 'driver failed programming external connectivity on endpoint web: Bind for 127.0.0.1:8000-8001 failed: port is already allocated',
    });
  });
});
