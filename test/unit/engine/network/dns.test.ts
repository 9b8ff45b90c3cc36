import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { answerAddresses, buildAnswer, parseQuery, QTYPE, RCODE, responseCode } from '../../../../src/engine/network/dns/dns-message.js';
import { forwardQuery, upstreamServers } from '../../../../src/engine/network/dns/dns-forwarder.js';
import { DnsServer, type DnsLookup } from '../../../../src/engine/network/dns/dns-server.js';
import { EmbeddedDns } from '../../../../src/engine/network/dns/embedded-dns.js';
import { redirectRestoreInput } from '../../../../src/engine/network/dns/dns-redirect.js';
import { pointAtEmbeddedDns } from '../../../../src/engine/network/dns/resolv-conf-dns.js';
import type { Endpoint, NetworkRecord } from '../../../../src/engine/network/network-record.js';
import { MemoryTracer } from '../../../../src/engine/trace/tracer.js';

// recorded: `busybox nslookup Web 127.0.0.77` (BusyBox 1.35) sends an A and an AAAA query
const BUSYBOX_A = Buffer.from('b31d01000001000000000000035765620000010001', 'hex');
const BUSYBOX_AAAA = Buffer.from('1e17010000010000000000000357656200001c0001', 'hex');
// recorded: the host's resolver answering NXDOMAIN for nonexistent-boxlab-test.invalid
const UPSTREAM_NXDOMAIN = Buffer.from('123581830001000000000000176e6f6e6578697374656e742d626f786c61622d7465737407696e76616c69640000010001', 'hex');

function endpoint(containerId: string, name: string, ip: string): Endpoint {
  return { endpointId: `ep-${name}`, containerId, name, ip, mac: '', vethHost: '', ifName: 'eth0', netnsPath: '', ports: [] };
}

function network(id: string, name: string, gateway: string, eps: Array<[Endpoint, string[]]>, isDefault = false): NetworkRecord {
  return {
    Id: id, Name: name, Created: '', Driver: 'bridge', Subnet: `${gateway.replace(/\.1$/, '.0')}/24`, Gateway: gateway, bridge: `br-${id}`, Internal: false, icc: true,
    Options: {}, Labels: {}, isDefault, allocations: {},
    members: Object.fromEntries(eps.map(([e, aliases]) => [e.containerId, { containerId: e.containerId, name: e.name, aliases, links: [] }])),
    endpoints: Object.fromEntries(eps.map(([e]) => [e.containerId, e])),
  };
}

/** one query over real UDP; the answer's bytes */
function ask(port: number, query: Buffer, from = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.on('message', (m) => (s.close(), resolve(m)));
    s.on('error', reject);
    s.bind(0, from, () => s.send(query, port, '127.0.0.1'));
  });
}

describe('dns: messages', () => {
  it('reads the question of busybox nslookup queries (name in lower case, type, id)', () => {
    const a = parseQuery(BUSYBOX_A)!;
    assert.deepEqual([a.id, a.name, a.qtype], [0xb31d, 'web', QTYPE.A]);
    assert.equal(parseQuery(BUSYBOX_AAAA)!.qtype, QTYPE.AAAA);
  });

  it('drops what is not a query: a response, a truncated packet', () => {
    assert.equal(parseQuery(UPSTREAM_NXDOMAIN), undefined);
    assert.equal(parseQuery(BUSYBOX_A.subarray(0, 18)), undefined);
  });

  it('answers with A records that the id, the question and the flags of the query come back in', () => {
    const q = parseQuery(BUSYBOX_A)!;
    const reply = buildAnswer(q, RCODE.NOERROR, ['172.18.0.2', '172.19.0.3']);
    assert.equal(reply.readUInt16BE(0), 0xb31d);
    assert.equal(reply.readUInt16BE(2) & 0x8000, 0x8000, 'QR: a response');
    assert.equal(reply.readUInt16BE(2) & 0x0100, 0x0100, 'RD echoed');
    assert.equal(responseCode(reply), RCODE.NOERROR);
    assert.deepEqual(answerAddresses(reply), ['172.18.0.2', '172.19.0.3']);
  });

  it('reads the rcode of a recorded upstream NXDOMAIN', () => {
    assert.equal(responseCode(UPSTREAM_NXDOMAIN), RCODE.NXDOMAIN);
    assert.deepEqual(answerAddresses(UPSTREAM_NXDOMAIN), []);
  });
});

describe('dns: resolv.conf', () => {
  it('takes the IPv4 nameservers of the host', () => {
    assert.deepEqual(upstreamServers('# x\nnameserver 127.0.0.53\nnameserver ::1\nnameserver 10.0.0.2\nsearch lan\n'), ['127.0.0.53', '10.0.0.2']);
  });

  it('points a container at 127.0.0.11, keeping search and options', () => {
    assert.equal(pointAtEmbeddedDns('search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions ndots:2\n', '127.0.0.11'), 'search lan\nnameserver 127.0.0.11\noptions ndots:2\n');
  });

  it("sends 127.0.0.11:53 to the network's gateway from the container's nat table, with the container's address as source", () => {
    assert.equal(
      redirectRestoreInput('172.18.0.1', '172.18.0.3'),
      [
        '*nat',
        '-A OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 172.18.0.1:53',
        '-A POSTROUTING -s 127.0.0.0/8 -d 172.18.0.1/32 -p udp -m udp --dport 53 -j SNAT --to-source 172.18.0.3',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });
});

describe('dns: server over UDP', () => {
  let server: DnsServer;
  let lookup: (name: string, client: string) => DnsLookup;
  let upstreams: string[];
  let forwarded: Buffer | undefined;
  const answered: string[] = [];

  before(async () => {
    server = new DnsServer({
      address: '127.0.0.1',
      port: 0,
      lookup: (name, client) => lookup(name, client),
      upstreams: async () => upstreams,
      forward: async () => forwarded,
      answered: (name, _client, addresses) => answered.push(`${name}=${addresses.join(',')}`),
    });
    await server.start();
  });
  after(() => server.stop());

  it('answers a container name with its address, and AAAA with no record (NOERROR)', async () => {
    lookup = (name) => (name === 'web' ? { kind: 'container', addresses: ['172.18.0.2'] } : { kind: 'other' });
    const a = await ask(server.port!, BUSYBOX_A);
    assert.equal(responseCode(a), RCODE.NOERROR);
    assert.deepEqual(answerAddresses(a), ['172.18.0.2']);
    const aaaa = await ask(server.port!, BUSYBOX_AAAA);
    assert.equal(responseCode(aaaa), RCODE.NOERROR);
    assert.equal(aaaa.readUInt16BE(6), 0, 'no answer records');
    assert.deepEqual(answered, ['web=172.18.0.2']);
  });

  it('refuses a client that is not on the network', async () => {
    lookup = () => ({ kind: 'refused' });
    assert.equal(responseCode(await ask(server.port!, BUSYBOX_A)), RCODE.REFUSED);
  });

  it('passes on the upstream answer (NXDOMAIN), and says SERVFAIL without upstream or when it is silent', async () => {
    lookup = () => ({ kind: 'other' });
    upstreams = ['10.0.0.2'];
    forwarded = Buffer.concat([BUSYBOX_A.subarray(0, 2), UPSTREAM_NXDOMAIN.subarray(2)]);
    assert.equal(responseCode(await ask(server.port!, BUSYBOX_A)), RCODE.NXDOMAIN);
    forwarded = undefined;
    assert.equal(responseCode(await ask(server.port!, BUSYBOX_A)), RCODE.SERVFAIL);
    upstreams = [];
    assert.equal(responseCode(await ask(server.port!, BUSYBOX_A)), RCODE.SERVFAIL);
  });

  it('forwards a query to an upstream server and returns its answer, or nothing after the timeout', async () => {
    const upstream = dgram.createSocket('udp4');
    upstream.on('message', (m, from) => upstream.send(Buffer.concat([m.subarray(0, 2), UPSTREAM_NXDOMAIN.subarray(2)]), from.port, from.address));
    await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', r));
    try {
      const reply = await forwardQuery(BUSYBOX_A, ['127.0.0.1'], 2000, upstream.address().port);
      assert.equal(reply?.readUInt16BE(0), 0xb31d);
      assert.equal(responseCode(reply!), RCODE.NXDOMAIN);
    } finally {
      upstream.close();
    }
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    try {
      assert.equal(await forwardQuery(BUSYBOX_A, ['127.0.0.1'], 200, silent.address().port), undefined);
    } finally {
      silent.close();
    }
  });
});

describe('dns: names on user networks', () => {
  const web = endpoint('a'.repeat(64), 'web', '172.18.0.2');
  const client = endpoint('b'.repeat(64), 'client', '172.18.0.3');
  const other = endpoint('c'.repeat(64), 'secret', '172.19.0.2');
  const onDefault = endpoint('d'.repeat(64), 'plain', '172.17.0.2');
  const nets = [
    network('n1', 'front', '172.18.0.1', [[web, ['www']], [client, []]]),
    network('n2', 'back', '172.19.0.1', [[other, []]]),
    network('n0', 'bridge', '172.17.0.1', [[onDefault, []]], true),
  ];
  const tracer = new MemoryTracer();
  const dns = new EmbeddedDns({ tracer, networks: () => nets });

  it('knows a container by name, alias and short id', () => {
    for (const name of ['web', 'www', 'a'.repeat(12)]) assert.deepEqual(dns.lookup('n1', name, client.ip), { kind: 'container', addresses: ['172.18.0.2'] });
  });

  it('does not give out the names of another network, nor answer a stranger', () => {
    assert.deepEqual(dns.lookup('n1', 'secret', client.ip), { kind: 'other' });
    assert.deepEqual(dns.lookup('n1', 'web', other.ip), { kind: 'refused' });
  });

  it('starts no server for the default bridge', async () => {
    assert.equal(await dns.ensure(nets[2], onDefault.containerId), undefined);
  });
});
