import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveUser, resolveUserFromFiles } from '../../../../../src/engine/containers/oci-spec/resolve-user.js';
import { isAppError } from '../../../../../src/core/errors.js';

const PASSWD = ['root:x:0:0:root:/root:/bin/sh', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin', 'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin', 'alice:x:1000:1000::/home/alice:/bin/sh', ''].join('\n');
const GROUP = ['root:x:0:', 'wheel:x:10:alice,bob', 'www-data:x:33:', 'audio:x:29:alice', 'alice:x:1000:', ''].join('\n');

describe('resolveUser (docker run -u)', () => {
  it('"" is root with root\'s home', () => {
    assert.deepEqual(resolveUserFromFiles('', PASSWD, GROUP), { uid: 0, gid: 0, additionalGids: [], home: '/root' });
  });

  it('a name gets its uid, gid, home and supplementary groups', () => {
    assert.deepEqual(resolveUserFromFiles('alice', PASSWD, GROUP), { uid: 1000, gid: 1000, additionalGids: [10, 29], home: '/home/alice' });
  });

  it('a uid with a passwd entry uses the entry; one without is taken as it is', () => {
    assert.equal(resolveUserFromFiles('33', PASSWD, GROUP).gid, 33);
    assert.deepEqual(resolveUserFromFiles('4242', PASSWD, GROUP), { uid: 4242, gid: 0, additionalGids: [], home: '/' });
  });

  it('uid:gid and name:group; explicit groups drop supplementary ones', () => {
    assert.deepEqual(resolveUserFromFiles('1000:33', PASSWD, GROUP), { uid: 1000, gid: 33, additionalGids: [], home: '/home/alice' });
    assert.equal(resolveUserFromFiles('alice:wheel', PASSWD, GROUP).gid, 10);
    assert.equal(resolveUserFromFiles('5:7', undefined, undefined).gid, 7);
  });

  it("Docker's errors for unknown names", () => {
    assert.throws(() => resolveUserFromFiles('foo', PASSWD, GROUP), (e) => isAppError(e, 'INVALID_ARGUMENT') && e.message === 'unable to find user foo: no matching entries in passwd file');
    assert.throws(() => resolveUserFromFiles('foo', undefined, undefined), /unable to find user foo/);
    assert.throws(() => resolveUserFromFiles('alice:nogroup', PASSWD, GROUP), /unable to find group nogroup: no matching entries in group file/);
  });

  describe('reading the rootfs', () => {
    let root: string;
    let outside: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-spec-user-'));
      outside = mkdtempSync(path.join(os.tmpdir(), 'boxlab-spec-host-'));
      mkdirSync(path.join(root, 'etc'));
    });
    afterEach(() => {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });

    it('reads /etc/passwd and /etc/group of the rootfs, plus --group-add', async () => {
      writeFileSync(path.join(root, 'etc/passwd'), PASSWD);
      writeFileSync(path.join(root, 'etc/group'), GROUP);
      assert.deepEqual(await resolveUser(root, 'www-data', ['audio', '777']), { uid: 33, gid: 33, additionalGids: [29, 777], home: '/var/www' });
    });

    it('an absolute symlink in the image points inside the rootfs, never at the host', async () => {
      // the host-side file has a user the image does not have
      writeFileSync(path.join(outside, 'passwd'), 'mallory:x:0:0::/:/bin/sh\n');
      mkdirSync(path.join(root, 'data'));
      writeFileSync(path.join(root, 'data/passwd'), 'bob:x:7:7::/b:/bin/sh\n');
      symlinkSync(path.join(outside, 'passwd'), path.join(root, 'etc/passwd-host'));
      symlinkSync('../../../../../../data/passwd', path.join(root, 'etc/passwd'));
      assert.equal((await resolveUser(root, 'bob')).uid, 7);
      rmSync(path.join(root, 'etc/passwd'));
      symlinkSync(path.join(outside, 'passwd'), path.join(root, 'etc/passwd'));
      await assert.rejects(resolveUser(root, 'mallory'), /unable to find user mallory/);
    });
  });
});
