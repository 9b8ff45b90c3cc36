import assert from 'node:assert/strict';
import { checkLocalDriverOptions, localDriverMount } from '../../../../src/engine/volumes/local-driver-options.js';

// dockerd 20.10's answers, recorded by hand with `docker volume create --opt ...` against Debian's dockerd
describe("the local volume driver's options (docker volume create --opt, compose driver_opts)", () => {
  it('refuses what dockerd refuses, in its words', () => {
    assert.throws(() => checkLocalDriverOptions('x1', { foo: 'bar' }), /create x1: invalid option: "foo"$/);
    assert.throws(() => checkLocalDriverOptions('x2', { size: '10m' }), /create x2: quota size requested but no quota support/);
    assert.throws(() => checkLocalDriverOptions('x3', { device: '/tmp' }), /create x3: missing required option: "type"/);
    assert.throws(() => checkLocalDriverOptions('x4', { o: 'bind' }), /create x4: missing required option: "device"/);
    assert.throws(() => checkLocalDriverOptions('x5', { type: 'tmpfs' }), /create x5: missing required option: "device"/);
  });

  it('keeps type, device and o, and none for a plain volume', () => {
    assert.deepEqual(checkLocalDriverOptions('v', undefined), {});
    assert.deepEqual(checkLocalDriverOptions('v', { type: 'tmpfs', device: 'tmpfs', o: 'size=10m' }), { type: 'tmpfs', device: 'tmpfs', o: 'size=10m' });
  });

  it("is the mount dockerd makes on the volume's _data folder", () => {
    assert.equal(localDriverMount({}, '/v/_data'), undefined);
    assert.deepEqual(localDriverMount({ type: 'tmpfs', device: 'tmpfs', o: 'size=10m,uid=1000' }, '/v/_data'), { type: 'tmpfs', source: 'tmpfs', target: '/v/_data', options: ['size=10m', 'uid=1000'] });
    assert.deepEqual(localDriverMount({ type: 'none', device: '/srv/data', o: 'bind' }, '/v/_data'), { type: 'none', source: '/srv/data', target: '/v/_data', options: ['bind'] });
  });
});
