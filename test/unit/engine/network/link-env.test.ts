// --link's environment variables (link-env.ts) against what Debian's dockerd 20.10 gave a busybox
// container: `docker run -d --name l18-db --expose 5432 -e SECRET=s3 busybox ...`, then
// `docker run --link l18-db:db busybox env` (recorded 2026-12-06, the ranges from daemon/links).
import assert from 'node:assert/strict';
import { linkEnv, linksEnv } from '../../../../src/engine/network/link-env.js';

describe('network: --link environment variables', () => {
  it('one exposed port and one variable, as dockerd 20.10 wrote them', () => {
    const env = linkEnv('/l18-web/db', { ip: '192.168.218.4', env: ['PATH=/usr/bin:/bin', 'SECRET=s3', 'HOME=/root'], exposedPorts: ['5432/tcp'] });
    assert.deepEqual([...env].sort(), [
      'DB_ENV_SECRET=s3',
      'DB_NAME=/l18-web/db',
      'DB_PORT=tcp://192.168.218.4:5432',
      'DB_PORT_5432_TCP=tcp://192.168.218.4:5432',
      'DB_PORT_5432_TCP_ADDR=192.168.218.4',
      'DB_PORT_5432_TCP_PORT=5432',
      'DB_PORT_5432_TCP_PROTO=tcp',
    ]);
  });

  it('the alias is upper-cased with dashes as underscores; TCP comes first for <ALIAS>_PORT; a run of ports gets _START and _END', () => {
    const env = linkEnv('/app/my-db', { ip: '10.0.0.5', env: [], exposedPorts: ['53/udp', '8001/tcp', '8000/tcp'] });
    assert.equal(env[0], 'MY_DB_PORT=tcp://10.0.0.5:8000');
    assert.ok(env.includes('MY_DB_PORT_53_UDP_PROTO=udp'));
    assert.ok(env.includes('MY_DB_PORT_8000_TCP_START=tcp://10.0.0.5:8000'));
    assert.ok(env.includes('MY_DB_PORT_8000_TCP_PORT_END=8001'));
    assert.ok(!env.some((e) => e.startsWith('MY_DB_PORT_53_UDP_START')), 'a single port is no range');
    assert.equal(env.filter((e) => e.startsWith('MY_DB_NAME=')).length, 1);
  });

  it('a target without exposed ports gives only its name and variables', () => {
    assert.deepEqual(linkEnv('/web/db', { ip: '10.0.0.5', env: ['X=1=2', 'NOVALUE'], exposedPorts: [] }), ['DB_NAME=/web/db', 'DB_ENV_X=1=2']);
  });

  it('a link to a container that is not running refuses the start with dockerd\'s words', async () => {
    const stopped = async () => ({ Id: 'a'.repeat(64), Name: '/l18-db', running: false, env: [], exposedPorts: [] });
    await assert.rejects(linksEnv('l18-web', ['l18-db:db'], stopped, () => undefined), /Cannot link to a non running container: \/l18-db AS \/l18-web\/db/);
    const running = async () => ({ Id: 'a'.repeat(64), Name: '/l18-db', running: true, env: [], exposedPorts: ['80/tcp'] });
    assert.ok((await linksEnv('l18-web', ['/l18-db'], running, () => '10.0.0.9')).includes('L18_DB_PORT_80_TCP_ADDR=10.0.0.9'));
  });
});
