import assert from 'node:assert/strict';
import { buildHostname, buildHosts, buildResolvConf } from '../../../../src/engine/containers/etc-files.js';

describe('/etc files of a container', () => {
  it('replaces loopback nameservers, which mean nothing in the container\'s network namespace', () => {
    assert.equal(buildResolvConf('nameserver 127.0.0.53\noptions edns0\nsearch lan\n'), 'search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0\n');
    assert.equal(buildResolvConf('nameserver 10.0.2.3\nnameserver 127.0.0.1\n'), 'nameserver 10.0.2.3\n');
  });

  it('keeps the host file as it is with --network host, and applies --dns flags', () => {
    assert.equal(buildResolvConf('nameserver 127.0.0.53\n', {}, true), 'nameserver 127.0.0.53\n');
    assert.equal(buildResolvConf('nameserver 10.0.0.1\n', { Dns: ['1.1.1.1'], DnsSearch: ['example.org'] }), 'search example.org\nnameserver 1.1.1.1\n');
  });

  it("takes the engine's dns, dns-search and dns-opts where the container sets none, each on its own, as dockerd 20.10", () => {
    // what dockerd wrote with test/fixtures/daemon-json/notes-network-dns.json (its README)
    const engine = { servers: ['10.0.0.2', '1.1.1.1'], search: ['lab.example'], options: ['ndots:2'] };
    assert.equal(buildResolvConf('nameserver 10.0.2.3\nsearch lan\n', {}, false, engine), 'search lab.example\nnameserver 10.0.0.2\nnameserver 1.1.1.1\noptions ndots:2\n');
    assert.equal(buildResolvConf('nameserver 10.0.2.3\n', { Dns: ['9.9.9.9'] }, false, engine), 'search lab.example\nnameserver 9.9.9.9\noptions ndots:2\n');
    assert.equal(buildResolvConf('nameserver 10.0.2.3\nsearch lan\n', { DnsSearch: ['.'] }, false, engine), 'nameserver 10.0.0.2\nnameserver 1.1.1.1\noptions ndots:2\n');
    assert.equal(buildResolvConf('nameserver 10.0.2.3\n', {}, false, { servers: [], search: [], options: [] }), 'nameserver 10.0.2.3\n');
  });

  it('writes hosts with localhost and --add-host entries, and the hostname', () => {
    const hosts = buildHosts(['db:10.0.0.5']);
    assert.match(hosts, /^127\.0\.0\.1\tlocalhost\n/);
    assert.match(hosts, /\n10\.0\.0\.5\tdb\n$/);
    assert.equal(buildHostname('abc123'), 'abc123\n');
  });
});
