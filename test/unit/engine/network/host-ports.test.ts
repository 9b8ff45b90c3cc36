// Host ports of a starting container: its own, the first free of a range, or one picked; never one the
// engine's other containers publish, nor one a host program holds (canBind is a double here).
import assert from 'node:assert/strict';
import type { PortRequest } from '../../../../src/engine/docker-model.js';
import { allocateHostPorts, EPHEMERAL_RANGE, portTaken } from '../../../../src/engine/network/host-ports.js';

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

  it('gives each request its port, the first free of its range, or one of the ephemeral range', async () => {
    const busy = new Set([8001]);
    const got = await allocateHostPorts('web', [req(8080), req(8000, { hostPortLast: 8003 }), req(8000, { hostPortLast: 8003, containerPort: 81 }), req(0)], [mapping(8000)], async (_p, _ip, port) => !busy.has(port));
    assert.deepEqual(got.slice(0, 3).map((p) => p.hostPort), [8080, 8002, 8003]);
    assert.ok(got[3].hostPort >= EPHEMERAL_RANGE.first && got[3].hostPort <= EPHEMERAL_RANGE.last);
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
