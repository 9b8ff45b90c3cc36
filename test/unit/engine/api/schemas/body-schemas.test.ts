import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Query } from '../../../../../src/engine/api/query.js';
import { buildOptionsFromQuery } from '../../../../../src/engine/api/routes/build-routes.js';
import { parseContainerCreate } from '../../../../../src/engine/api/schemas/container-create-schema.js';
import { parseExecCreate } from '../../../../../src/engine/api/schemas/exec-create-schema.js';
import { parseNetworkConnect, parseNetworkCreate, parseNetworkDisconnect } from '../../../../../src/engine/api/schemas/network-schemas.js';
import { parseVolumeCreate } from '../../../../../src/engine/api/schemas/volume-create-schema.js';
import { checkCreate, checkExtraHost } from '../../../../../src/engine/containers/create-config.js';
import { buildHosts } from '../../../../../src/engine/containers/etc-files.js';
import { REPO_ROOT } from '../../../../helpers/repo-paths.js';
import { FAKE_HOST } from '../fake-services.js';

interface Recorded {
  route: string;
  body: string;
  status: number;
  message?: string;
}

// dockerd 20.10's answers, recorded by test/fixtures/outputs/dockerd-api/record.mjs
const RECORDED: Recorded[] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/outputs/dockerd-api/bodies.json'), 'utf8'));

/** what boxlab's edge does with a body: decode it, then (create) the checks dockerd makes before writing anything */
const EDGE: Record<string, (json: unknown) => unknown> = {
  'POST /containers/create': (json) => checkCreate(parseContainerCreate(json, FAKE_HOST), ['sh']),
  'POST /containers/{id}/exec': parseExecCreate,
  'POST /networks/create': parseNetworkCreate,
  'POST /networks/bridge/connect': parseNetworkConnect,
  'POST /networks/bridge/disconnect': parseNetworkDisconnect,
  'POST /volumes/create': parseVolumeCreate,
};

// answers boxlab words its own way on purpose: a truncated body (boxlab names the JSON error), checks made
// later by other parts (mounts, restart policy are the container plane's)
const OWN_WORDING = new Set(['unexpected EOF', 'invalid restart policy \'bogus\'', 'invalid mount config for type "bind": field Target must not be empty']);

describe('request body schemas against dockerd 20.10', () => {
  for (const c of RECORDED) {
    const edge = EDGE[c.route];
    if (c.message && OWN_WORDING.has(c.message)) continue;
    it(`${c.route} ${c.body} -> ${c.status === 201 ? 'accepted' : c.message}`, () => {
      const json = c.body.trim() === '' ? undefined : JSON.parse(c.body);
      if (c.status < 300) return void edge(json);
      // dockerd's status for these is 400 (20.10 still said 500 for create's type errors; later versions say 400)
      assert.throws(() => edge(json), (err: Error & { code?: string }) => {
        assert.equal(err.message, c.message);
        assert.equal(err.code, 'INVALID_ARGUMENT');
        return true;
      });
    });
  }
});

describe('request body schemas: typed values', () => {
  it('turns a string Cmd into a list of one, as Docker\'s StrSlice does, and leaves null fields unset', () => {
    const body = parseContainerCreate({ Image: 'busybox', Cmd: 'echo hi', Env: null, HostConfig: { Memory: 10_000_000 } }, FAKE_HOST);
    assert.deepEqual(body, { Image: 'busybox', Cmd: ['echo hi'], HostConfig: { Memory: 10_000_000 } });
  });

  it('matches keys ignoring case when no exact key exists, as Go does, and drops unknown ones', () => {
    assert.deepEqual(parseContainerCreate({ image: 'busybox', Bogus: 1 }, FAKE_HOST), { Image: 'busybox' });
  });

  it('refuses --add-host entries that would add lines to /etc/hosts, and the hosts writer refuses them too', () => {
    assert.throws(() => checkExtraHost('a\nb:1.2.3.4'), /invalid host name in add-host: "a\\nb"/);
    assert.throws(() => checkExtraHost('a:1.2.3.4\n9.9.9.9 evil'), /invalid IP address in add-host/);
    assert.doesNotThrow(() => checkExtraHost('db:10.0.0.5'));
    assert.doesNotThrow(() => checkExtraHost('v6:::1'));
    assert.throws(() => buildHosts(['a:1.2.3.4\n9.9.9.9 evil']), /invalid add-host entry/);
    assert.match(buildHosts(['db:10.0.0.5']), /10\.0\.0\.5\tdb\n$/);
  });

  it('refuses a host address of a port binding that is not an IP address, naming it, when it parses the body', () => {
    const body = { Image: 'busybox', HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '999.1.1.1', HostPort: '8080' }] } } };
    assert.throws(() => parseContainerCreate(body, FAKE_HOST), /^AppError: invalid IP address: 999\.1\.1\.1 \(host address of the binding for 80\/tcp\)$/);
  });

  it('refuses the network bodies\' wrong types only, leaving names to the network plane', () => {
    assert.deepEqual(parseNetworkCreate({ Name: 'a\nb', Options: { 'com.docker.network.bridge.name': 'x' } }), { Name: 'a\nb', Options: { 'com.docker.network.bridge.name': 'x' } });
  });
});

describe('build query against dockerd 20.10', () => {
  const recorded: Array<{ query: string; message: string }> = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/outputs/dockerd-api/build-query.json'), 'utf8'));
  for (const r of recorded) {
    it(`${r.query} -> ${r.message}`, () => {
      const eq = r.query.indexOf('=');
      const query = Query.parse(`?${r.query.slice(0, eq)}=${encodeURIComponent(r.query.slice(eq + 1))}`);
      assert.throws(() => buildOptionsFromQuery(query), (err: Error) => err.message === r.message);
    });
  }

  it('refuses a --platform whose OS is not linux, as dockerd\'s classic builder does (wasi/wasm, windows)', () => {
    for (const p of ['wasi/wasm', 'windows/amd64', 'windows']) {
      assert.throws(() => buildOptionsFromQuery(Query.parse(`?platform=${encodeURIComponent(p)}`)), /^AppError: operating system is not supported$/, p);
    }
    for (const p of ['linux/amd64', 'linux', 'amd64', 'linux/arm64/v8', '']) assert.doesNotThrow(() => buildOptionsFromQuery(Query.parse(`?platform=${encodeURIComponent(p)}`)), p);
  });

  it('keeps a build arg without a value as null (taken from the environment)', () => {
    assert.deepEqual(buildOptionsFromQuery(Query.parse(`?buildargs=${encodeURIComponent('{"A":null,"B":"x"}')}`)).buildArgs, { A: null, B: 'x' });
  });
});
