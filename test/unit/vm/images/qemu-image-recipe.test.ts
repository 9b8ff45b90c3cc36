// The QEMU image recipe's pure parts: the cache key and the parsers of ldd / modprobe output.
import assert from 'node:assert/strict';
import { defaultQemuRecipe, parseLddOutput, parseModuleList, parseShowDepends, recipeHash } from '../../../../src/vm/images/qemu-image-recipe.js';

describe('qemu image recipe', () => {
  const recipe = defaultQemuRecipe('linux-image-6.1.0-56-amd64', ['ext4']);

  it('changes the cache key exactly when an input changes (order does not matter)', () => {
    const a = recipeHash(recipe, [{ name: '/usr/sbin/runc', digest: '1' }, { name: 'init', digest: 'x' }]);
    assert.equal(a, recipeHash(recipe, [{ name: 'init', digest: 'x' }, { name: '/usr/sbin/runc', digest: '1' }]));
    assert.notEqual(a, recipeHash(recipe, [{ name: '/usr/sbin/runc', digest: '2' }, { name: 'init', digest: 'x' }]));
    assert.notEqual(a, recipeHash({ ...recipe, diskSize: '4G' }, [{ name: '/usr/sbin/runc', digest: '1' }, { name: 'init', digest: 'x' }]));
    assert.match(a, /^[0-9a-f]{16}$/);
  });

  it('reads the libraries to copy from ldd output (recorded: ldd /usr/sbin/runc on Debian 12)', () => {
    const ldd = [
      '\tlinux-vdso.so.1 (0x00007ffd4b5f2000)',
      '\tlibseccomp.so.2 => /lib/x86_64-linux-gnu/libseccomp.so.2 (0x00007f3c1d0a0000)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3c1cebf000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f3c1d0d5000)',
    ].join('\n');
    assert.deepEqual(parseLddOutput(ldd), ['/lib/x86_64-linux-gnu/libseccomp.so.2', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
    assert.deepEqual(parseLddOutput('\tnot a dynamic executable'), []);
  });

  it('ships procps pgrep/pkill, ps and util-linux script, which the busybox-static applets lack (lab 04 checks with pgrep -x)', () => {
    const byPath = new Map(recipe.binaries.map((b) => [b.path, b]));
    assert.deepEqual(byPath.get('/usr/bin/pgrep'), { path: '/usr/bin/pgrep', links: ['pkill'] });
    assert.ok(byPath.has('/bin/ps') && !byPath.get('/bin/ps')!.optional, 'ps is required');
    assert.ok(byPath.has('/usr/bin/script'), 'script gives tty containers their pty in the guest');
  });

  it('ships jq when the host has it (lab 09 reads config.json and runc state with jq)', () => {
    assert.deepEqual(recipe.binaries.find((b) => b.path === '/usr/bin/jq'), { path: '/usr/bin/jq', optional: true });
  });

  it('reads modules and their dependencies', () => {
    assert.deepEqual(parseModuleList('# c\nvirtio_pci  ext4\n\noverlay # why\n'), ['virtio_pci', 'ext4', 'overlay']);
    const deps = 'insmod /k/lib/modules/6.1/kernel/lib/crc16.ko \ninsmod /k/lib/modules/6.1/kernel/fs/ext4/ext4.ko \nbuiltin crc32c\n';
    assert.deepEqual(parseShowDepends(deps), ['/k/lib/modules/6.1/kernel/lib/crc16.ko', '/k/lib/modules/6.1/kernel/fs/ext4/ext4.ko']);
  });
});
