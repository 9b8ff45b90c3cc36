import assert from 'node:assert/strict';
import { envWithHome, mergeEnv, resolveProcess } from '../../../../../src/engine/containers/oci-spec/resolve-process.js';
import { isAppError } from '../../../../../src/core/errors.js';

const nginx = { Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], Env: ['PATH=/usr/bin:/bin', 'NGINX_VERSION=1.25'], WorkingDir: '' };

describe('resolveProcess (Entrypoint/Cmd/Env/WorkingDir)', () => {
  it('image entrypoint + image cmd when the request has neither', () => {
    assert.deepEqual(resolveProcess(nginx, {}, { hostname: 'h' }).args, ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
  });

  it('a request Cmd replaces only the image Cmd', () => {
    assert.deepEqual(resolveProcess(nginx, { Cmd: ['sh'] }, { hostname: 'h' }).args, ['/docker-entrypoint.sh', 'sh']);
  });

  it('a request Entrypoint resets the image Cmd; --entrypoint "" clears both', () => {
    assert.deepEqual(resolveProcess(nginx, { Entrypoint: ['ls'] }, { hostname: 'h' }).args, ['ls']);
    assert.deepEqual(resolveProcess(nginx, { Entrypoint: ['ls'], Cmd: ['-l'] }, { hostname: 'h' }).args, ['ls', '-l']);
    assert.deepEqual(resolveProcess(nginx, { Entrypoint: [''], Cmd: ['id'] }, { hostname: 'h' }).args, ['id']);
  });

  it('No command specified', () => {
    assert.throws(() => resolveProcess({}, {}, { hostname: 'h' }), (e) => isAppError(e, 'INVALID_ARGUMENT') && e.message === 'No command specified');
    assert.throws(() => resolveProcess(nginx, { Entrypoint: [''] }, { hostname: 'h' }), /No command specified/);
  });

  it('env: request wins, HOSTNAME set, TERM for a tty, PATH default only when missing', () => {
    const p = resolveProcess(nginx, { Env: ['NGINX_VERSION=2', 'X=1'] }, { hostname: 'web', tty: true });
    assert.deepEqual(p.env, ['HOSTNAME=web', 'TERM=xterm', 'PATH=/usr/bin:/bin', 'NGINX_VERSION=2', 'X=1']);
    assert.deepEqual(p.configEnv, ['PATH=/usr/bin:/bin', 'NGINX_VERSION=2', 'X=1']);
    const q = resolveProcess({ Cmd: ['sh'] }, {}, { hostname: 'h' });
    assert.deepEqual(q.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=h']);
  });

  it('working dir: request, image, "/"; relative is an error', () => {
    assert.equal(resolveProcess({ ...nginx, WorkingDir: '/app' }, {}, { hostname: 'h' }).cwd, '/app');
    assert.equal(resolveProcess({ ...nginx, WorkingDir: '/app' }, { WorkingDir: '/tmp' }, { hostname: 'h' }).cwd, '/tmp');
    assert.equal(resolveProcess(nginx, {}, { hostname: 'h' }).cwd, '/');
    assert.throws(() => resolveProcess(nginx, { WorkingDir: 'rel' }, { hostname: 'h' }), /needs to be an absolute path/);
  });

  it('user: request, else image', () => {
    assert.equal(resolveProcess({ ...nginx, User: 'nginx' }, {}, { hostname: 'h' }).user, 'nginx');
    assert.equal(resolveProcess({ ...nginx, User: 'nginx' }, { User: '0' }, { hostname: 'h' }).user, '0');
  });

  it('mergeEnv and envWithHome', () => {
    assert.deepEqual(mergeEnv(['A=1', 'B=2'], ['A=3', 'C']), ['A=3', 'B=2', 'C']);
    assert.deepEqual(envWithHome(['A=1'], '/root'), ['A=1', 'HOME=/root']);
    assert.deepEqual(envWithHome(['HOME=/x'], '/root'), ['HOME=/x']);
  });
});
