import assert from 'node:assert/strict';
import { inspectPorts, parsePortKey, portRequests, summaryPorts } from '../../../../src/engine/network/port-bindings.js';

describe('port bindings (-p, -P)', () => {
  it('reads the bindings the docker CLI sends for -p 8080:80, -p 127.0.0.1:53:53/udp and -p 90', () => {
    const reqs = portRequests(
      { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '53' }], '90/tcp': [{ HostIp: '', HostPort: '' }] },
      { '80/tcp': {}, '53/udp': {}, '90/tcp': {} },
      false,
    );
    assert.deepEqual(reqs, [
      { proto: 'tcp', hostIp: '', hostPort: 8080, containerPort: 80 },
      { proto: 'udp', hostIp: '127.0.0.1', hostPort: 53, containerPort: 53 },
      { proto: 'tcp', hostIp: '', hostPort: 0, containerPort: 90 },
    ]);
  });

  it('-P publishes every exposed port not already bound, on a port to pick (0)', () => {
    assert.deepEqual(portRequests({ '80/tcp': [{ HostPort: '8080' }] }, { '80/tcp': {}, '443/tcp': {} }, true), [
      { proto: 'tcp', hostIp: '', hostPort: 8080, containerPort: 80 },
      { proto: 'tcp', hostIp: '', hostPort: 0, containerPort: 443 },
    ]);
  });

  it('refuses bad keys and host ports with a message naming them', () => {
    assert.throws(() => parsePortKey('http'), /invalid port "http"/);
    assert.throws(() => parsePortKey('80/sctp'), /sctp is not supported/);
    assert.throws(() => portRequests({ '80/tcp': [{ HostPort: '70000' }] }, {}, false), /invalid host port "70000"/);
  });

  it("shapes inspect's Ports (docker port) and ps's Ports", () => {
    const ports = [{ proto: 'tcp' as const, hostIp: '', hostPort: 8080, containerPort: 80 }];
    assert.deepEqual(inspectPorts(ports, { '80/tcp': {}, '443/tcp': {} }), { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '443/tcp': null });
    assert.deepEqual(summaryPorts(ports, { '80/tcp': {}, '443/tcp': {} }), [
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 443, Type: 'tcp' },
    ]);
  });
});
