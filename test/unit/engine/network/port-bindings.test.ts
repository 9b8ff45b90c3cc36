// -p and -P as the network plane receives them: parsed once at create, against dockerd 20.10's answers to
// the same bodies (test/fixtures/outputs/dockerd-api/ports.json, recorded by record.mjs there).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseContainerCreate } from '../../../../src/engine/api/schemas/container-create-schema.js';
import type { PortRequest } from '../../../../src/engine/docker-model.js';
import { inspectPorts, parsePortBindings, parsePortRange, splitProtoPort, summaryPorts, withHostBindingIp } from '../../../../src/engine/network/port-bindings.js';
import { REPO_ROOT } from '../../../helpers/repo-paths.js';
import { FAKE_HOST } from '../api/fake-services.js';

interface Recorded {
  body: string;
  status: number;
  message?: string;
}

const RECORDED: Recorded[] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/outputs/dockerd-api/ports.json'), 'utf8'));

type Body = { ExposedPorts?: Record<string, object>; HostConfig: { PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>; PublishAllPorts?: boolean } };
const parse = (body: string) => {
  const b = JSON.parse(body) as Body;
  return parsePortBindings(b.HostConfig.PortBindings, b.ExposedPorts, b.HostConfig.PublishAllPorts);
};
/** the one binding (or exposed port) of a recorded body, to name the case */
const caseOf = (body: string) => {
  const b = JSON.parse(body) as Body;
  if (b.ExposedPorts) return `-P with ExposedPorts ${Object.keys(b.ExposedPorts)[0]}`;
  const [key, [binding]] = Object.entries(b.HostConfig.PortBindings!)[0];
  return `${JSON.stringify(key)} ${JSON.stringify(binding)}`;
};

const tcp = (hostPort: number, containerPort = 80, extra: Partial<PortRequest> = {}): PortRequest => ({ proto: 'tcp', hostIp: '', hostPort, containerPort, ...extra });
const PORT_FORMAT = 'expected <port>[/tcp|udp] with a port from 1 to 65535';

/** what boxlab makes of the bodies dockerd accepts: the ports it publishes */
const ACCEPTED: Record<string, PortRequest[]> = {
  '"80" {}': [tcp(0)],
  '"80/tcp/x" {}': [tcp(0)],
  '"65535/tcp" {"HostPort":"65535"}': [tcp(65535, 65535)],
  '"80/tcp" {"HostPort":"8000-8010"}': [tcp(8000, 80, { hostPortLast: 8010 })],
  '"80/tcp" {"HostPort":"0"}': [tcp(0)],
  '"80/tcp" {"HostPort":""}': [tcp(0)],
  '"80/tcp" {"HostPort":"8080/udp"}': [tcp(8080)],
  '"80/tcp" {"HostIp":"::1","HostPort":"8080"}': [],
  '"80/tcp" {"HostIp":"127.0.0.1","HostPort":"8080"}': [tcp(8080, 80, { hostIp: '127.0.0.1' })],
  '-P with ExposedPorts 8080/udp': [{ proto: 'udp', hostIp: '', hostPort: 0, containerPort: 8080 }],
};

/** bodies dockerd accepts and boxlab refuses at create, since it could not publish them (or show them in ps) */
const REFUSED: Record<string, string> = {
  '"0/tcp" {}': `invalid port "0/tcp": ${PORT_FORMAT}`,
  '"" {}': `invalid port "": ${PORT_FORMAT}`,
  '"/tcp" {}': `invalid port "/tcp": ${PORT_FORMAT}`,
  '"80/foo" {}': `invalid protocol "foo" in port "80/foo": ${PORT_FORMAT}`,
  '"80/TCP" {}': `invalid protocol "TCP" in port "80/TCP": ${PORT_FORMAT}`,
  '"80/sctp" {}': 'port 80/sctp: sctp is not supported by boxlab, use tcp or udp',
  '"80/tcp" {"HostIp":"1.2.3","HostPort":"8080"}': 'invalid IP address: 1.2.3 (host address of the binding for 80/tcp)',
  '-P with ExposedPorts 70000/tcp': 'invalid port specification: "70000"',
  '-P with ExposedPorts abc': 'invalid port specification: "abc"',
  '-P with ExposedPorts 80/foo': `invalid protocol "foo" in port "80/foo": ${PORT_FORMAT}`,
  '-P with ExposedPorts 80/sctp': 'port 80/sctp: sctp is not supported by boxlab, use tcp or udp',
};

describe('port bindings (-p, -P) against dockerd 20.10', () => {
  for (const c of RECORDED) {
    const name = caseOf(c.body);
    if (c.status === 400) {
      it(`${name}: 400 ${c.message}, as dockerd`, () => {
        assert.throws(() => parse(c.body), { code: 'INVALID_ARGUMENT', message: c.message });
      });
    } else if (name in REFUSED) {
      it(`${name}: dockerd accepts it, boxlab refuses it at create: ${REFUSED[name]}`, () => {
        assert.throws(() => parse(c.body), { code: 'INVALID_ARGUMENT', message: REFUSED[name] });
      });
    } else {
      it(`${name}: accepted, as by dockerd`, () => {
        assert.ok(name in ACCEPTED, `no expected value for ${name}`);
        assert.deepEqual(parse(c.body), ACCEPTED[name]);
      });
    }
  }

  it('every declared case is one dockerd was asked (the table and the recording agree)', () => {
    const asked = new Set(RECORDED.map((c) => caseOf(c.body)));
    for (const name of [...Object.keys(ACCEPTED), ...Object.keys(REFUSED)]) assert.ok(asked.has(name), name);
  });
});

describe('port bindings (-p, -P)', () => {
  it('reads the bindings the docker CLI sends for -p 8080:80, -p 127.0.0.1:53:53/udp and -p 90', () => {
    const reqs = parsePortBindings(
      { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '53' }], '90/tcp': [{ HostIp: '', HostPort: '' }] },
      { '80/tcp': {}, '53/udp': {}, '90/tcp': {} },
      false,
    );
    assert.deepEqual(reqs, [tcp(8080), { proto: 'udp', hostIp: '127.0.0.1', hostPort: 53, containerPort: 53 }, tcp(0, 90)]);
  });

  it("publishes a binding that names no address on the network's host_binding_ipv4 (dockerd's ip), an explicit 0.0.0.0 on all", () => {
    const reqs = parsePortBindings({ '80/tcp': [{ HostIp: '', HostPort: '8080' }], '81/tcp': [{ HostIp: '0.0.0.0', HostPort: '8081' }], '82/tcp': [{ HostIp: '10.0.0.9', HostPort: '8082' }] }, {}, false);
    const bound = withHostBindingIp(reqs, { 'com.docker.network.bridge.host_binding_ipv4': '127.0.0.1' });
    assert.deepEqual(bound.map((p) => p.hostIp), ['127.0.0.1', '', '10.0.0.9']);
    // as dockerd showed: docker port says 80/tcp -> 127.0.0.1:8080, 81/tcp -> 0.0.0.0:8081
    assert.deepEqual(inspectPorts(bound.map((p) => ({ ...p, hostPort: p.hostPort })), {})['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: '8080' }]);
    assert.deepEqual(withHostBindingIp(reqs, { 'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0' }).map((p) => p.hostIp), ['', '', '10.0.0.9']);
    assert.deepEqual(withHostBindingIp(reqs, {}).map((p) => p.hostIp), ['', '', '10.0.0.9']);
  });

  it('-P publishes every exposed port not already bound, on a port to pick (0)', () => {
    assert.deepEqual(parsePortBindings({ '80/tcp': [{ HostPort: '8080' }] }, { '80/tcp': {}, '443/tcp': {} }, true), [tcp(8080), tcp(0, 443)]);
  });

  it("reads ports and ranges as go-connections' nat package does", () => {
    assert.deepEqual(splitProtoPort('80/udp'), ['udp', '80']);
    assert.deepEqual(splitProtoPort('80/'), ['tcp', '80']);
    assert.deepEqual(splitProtoPort('/udp'), ['', '']);
    assert.deepEqual(parsePortRange('8000-8010'), [8000, 8010]);
    assert.deepEqual(parsePortRange('0080'), [80, 80]);
    assert.deepEqual(parsePortRange('1-2-3'), [1, 2]);
    for (const bad of ['', '8000-', '-1', '8010-8000', '65536', '1e3']) assert.equal(parsePortRange(bad), undefined, bad);
  });

  it('the create body carries its parsed ports to the container service, and none when it publishes nothing', () => {
    const body = parseContainerCreate({ Image: 'busybox', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '8080' }] } } }, FAKE_HOST);
    assert.deepEqual(body.publishedPorts, [tcp(8080)]);
    assert.deepEqual(body.HostConfig?.PortBindings, { '80/tcp': [{ HostPort: '8080' }] }, 'inspect still shows what was asked');
    assert.equal(parseContainerCreate({ Image: 'busybox' }, FAKE_HOST).publishedPorts, undefined);
    assert.throws(() => parseContainerCreate({ Image: 'busybox', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '70000' }] } } }, FAKE_HOST), { message: 'invalid port specification: "70000"' });
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
