import assert from 'node:assert/strict';
import { busyboxConfig, busyboxLayerEntries } from '../../../../../src/engine/images/bake/busybox-recipe.js';
import { buildLayerTar } from '../../../../../src/engine/images/bake/layer-tar.js';
import { debianMirror, DEFAULT_DEBIAN_MIRROR } from '../../../../../src/engine/images/bake/debian-mirror.js';
import { sha256Digest } from '../../../../../src/engine/content/digest.js';

describe('bake recipes', () => {
  describe('busybox', () => {
    const binary = Buffer.from('\x7fELF fake busybox');
    const applets = ['bin/sh', 'bin/busybox', 'usr/bin/awk', 'sbin/ip', 'usr/sbin/httpd', ''];
    const entries = busyboxLayerEntries(binary, applets);
    const byName = new Map(entries.map((e) => [e.name, e]));

    it('has the binary once and never links busybox to itself', () => {
      const busybox = entries.filter((e) => e.name === 'bin/busybox');
      assert.equal(busybox.length, 1);
      assert.equal(busybox[0].type, 'file');
      assert.equal(busybox[0].mode, 0o755);
    });
    it('links each applet to /bin/busybox', () => {
      for (const a of ['bin/sh', 'usr/bin/awk', 'sbin/ip', 'usr/sbin/httpd']) assert.deepEqual([byName.get(a)?.type, byName.get(a)?.linkname], ['symlink', '/bin/busybox']);
    });
    it('has passwd with root and nobody, group, /tmp 1777, /root, /var/www', () => {
      assert.match(byName.get('etc/passwd')!.data!.toString(), /^root:x:0:0:root:\/root:\/bin\/sh\nnobody:x:65534:65534:/);
      assert.match(byName.get('etc/group')!.data!.toString(), /^root:x:0:\nnobody:x:65534:\n$/);
      assert.equal(byName.get('tmp/')?.mode, 0o1777);
      assert.equal(byName.get('root/')?.mode, 0o700);
      assert.equal(byName.get('var/www/')?.type, 'directory');
    });
    it('lists folders before what is in them', () => {
      const idx = (n: string) => entries.findIndex((e) => e.name === n);
      assert.ok(idx('usr/') < idx('usr/bin/') && idx('usr/bin/') < idx('usr/bin/awk'));
    });
    it('is deterministic: the same binary gives the same layer and image id', async () => {
      const t = new Date('2024-01-01T00:00:00Z');
      const one = await buildLayerTar(busyboxLayerEntries(binary, applets), t);
      const two = await buildLayerTar(busyboxLayerEntries(binary, [...applets].reverse()), t);
      assert.equal(sha256Digest(one), sha256Digest(two));
      const config = JSON.parse(busyboxConfig(sha256Digest(one), 'BusyBox v1.35.0', 'amd64').toString());
      assert.deepEqual(config.config.Cmd, ['sh']);
      assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [sha256Digest(one)] });
      assert.equal(sha256Digest(busyboxConfig(sha256Digest(one), 'v', 'amd64')), sha256Digest(busyboxConfig(sha256Digest(two), 'v', 'amd64')));
    });
  });

  describe('debianMirror', () => {
    it('reads the deb822 sources of Debian 12, skipping security', () => {
      const text = 'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main\n';
      assert.equal(debianMirror([text]), 'http://mirror.example/debian');
    });
    it('reads one-line sources.list entries', () => {
      assert.equal(debianMirror(['# comment\ndeb [arch=amd64] http://ftp.example.org/debian bookworm main\n']), 'http://ftp.example.org/debian');
    });
    it('falls back to deb.debian.org', () => {
      assert.equal(debianMirror(['', 'Types: deb\nURIs: http://x/debian\nSuites: bookworm\nEnabled: no\n']), DEFAULT_DEBIAN_MIRROR);
    });
  });
});
