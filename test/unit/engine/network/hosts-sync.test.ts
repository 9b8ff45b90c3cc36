// Each running container's /etc/hosts, built from the network records: peers on user networks (name,
// aliases, short id), nothing on the default bridge but --link targets.
import assert from 'node:assert/strict';
import { hostsFiles, nextHostsText } from '../../../../src/engine/network/hosts-sync.js';
import type { Endpoint, NetworkRecord } from '../../../../src/engine/network/network-record.js';
import { newNetworkRecord } from '../../../../src/engine/network/network-book.js';

const ID = (c: string) => c.repeat(64);
const BASE = '127.0.0.1\tlocalhost\n';
const endpoint = (c: string, name: string, ip: string, hosts = true): Endpoint & { hostsPath?: string; hostsBase?: string; hostname?: string } => ({
  endpointId: `ep-${c}`,
  containerId: ID(c),
  name,
  ip,
  mac: '02:42:00:00:00:00',
  vethHost: `veth${c}`,
  ifName: 'eth0',
  netnsPath: `/netns/${c}`,
  ports: [],
  ...(hosts ? { hostsPath: `/hosts/${name}`, hostsBase: BASE, hostname: name } : {}),
});

function networks(): NetworkRecord[] {
  const app = newNetworkRecord('app', '10.1.0.0/24', '10.1.0.1', 'br-app');
  app.members[ID('a')] = { containerId: ID('a'), name: 'db', aliases: ['database'], links: [] };
  app.members[ID('b')] = { containerId: ID('b'), name: 'web', aliases: [], links: [] };
  app.endpoints[ID('a')] = endpoint('a', 'db', '10.1.0.2');
  app.endpoints[ID('b')] = endpoint('b', 'web', '10.1.0.3');
  const def = newNetworkRecord('bridge', '10.2.0.0/24', '10.2.0.1', 'bxl0', { isDefault: true });
  def.members[ID('c')] = { containerId: ID('c'), name: 'old', aliases: [], links: ['db:legacy'] };
  def.members[ID('d')] = { containerId: ID('d'), name: 'lone', aliases: [], links: [] };
  def.endpoints[ID('c')] = endpoint('c', 'old', '10.2.0.2');
  def.endpoints[ID('d')] = endpoint('d', 'lone', '10.2.0.3');
  return [app, def];
}

describe('hosts files', () => {
  it('names the peers of user networks and the --link targets; the default bridge alone gives no names', () => {
    const nets = networks();
    const files = new Map(hostsFiles(nets, (id) => nets.filter((n) => n.members[id])).map((f) => [f.path, f.text]));
    assert.equal(files.get('/hosts/web'), `${BASE}10.1.0.3\tweb\n# boxlab: containers on the same user-defined networks (and --link)\n10.1.0.2\tdb database aaaaaaaaaaaa\n`);
    assert.equal(files.get('/hosts/old'), `${BASE}10.2.0.2\told\n# boxlab: containers on the same user-defined networks (and --link)\n10.1.0.2\tlegacy aaaaaaaaaaaa db\n`);
    assert.equal(files.get('/hosts/lone'), `${BASE}10.2.0.3\tlone\n`);
  });

  describe('a user edit (lines appended below the engine part)', () => {
    const base = '127.0.0.1\tlocalhost\n10.1.0.3\tweb\n';
    const withDb = base + '10.1.0.2\tdb\n';
    const mine = '1.2.3.4 foo\n';
    it('survives a rewrite when a peer comes or goes', () => {
      assert.equal(nextHostsText(base + mine, base, withDb), withDb + mine);
      assert.equal(nextHostsText(withDb + mine, withDb, base), base + mine);
    });
    it('leaves the file alone when the engine part is unchanged, also after an engine restart', () => {
      assert.equal(nextHostsText(withDb + mine, withDb, withDb), undefined);
      assert.equal(nextHostsText(withDb + mine, undefined, withDb), undefined);
      assert.equal(nextHostsText(withDb, withDb, withDb), undefined);
    });
    it('writes the engine part alone over a file it cannot read its own part in', () => {
      assert.equal(nextHostsText('127.0.0.1\tlocalhost\n', withDb, withDb), withDb);
      assert.equal(nextHostsText('garbage\n', undefined, withDb), withDb);
    });
  });
});
