// Preflight of a qemu sandbox on recorded /proc/meminfo and `df -Pk` outputs: the numbers read, and the
// refusal a user sees when memory or disk is short (numbers and the fix).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src/core/errors.js';
import { checkVmDisk, checkVmMemory, parseDfAvailableMiB, parseMemAvailableMiB } from '../../../src/vm/preflight.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'outputs', 'preflight');
const meminfo = readFileSync(path.join(fixtures, 'meminfo-debian12.txt'), 'utf8');
const df = readFileSync(path.join(fixtures, 'df-debian12.txt'), 'utf8');

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}

describe('vm preflight', () => {
  it('reads MemAvailable, or free + buffers + cached on kernels without it', () => {
    const kb = Number(meminfo.match(/^MemAvailable:\s+(\d+)/m)![1]);
    assert.equal(parseMemAvailableMiB(meminfo), Math.floor(kb / 1024));
    const old = 'MemTotal:        2048000 kB\nMemFree:          102400 kB\nBuffers:           51200 kB\nCached:           204800 kB\n';
    assert.equal(parseMemAvailableMiB(old), 350);
    assert.throws(() => parseMemAvailableMiB('garbage'), /cannot read the free memory from \/proc\/meminfo/);
  });

  it('reads the Available column and the mount of df -Pk, long device names included', () => {
    const kb = Number(df.trim().split('\n')[1]!.trim().split(/\s+/)[3]);
    assert.deepEqual(parseDfAvailableMiB(df), { availableMiB: Math.floor(kb / 1024), mountedOn: '/' });
    const lvm = 'Filesystem                      1024-blocks     Used Available Capacity Mounted on\n/dev/mapper/debian--vg-home  480000000 478000000    819200     100% /home/my disk\n';
    assert.deepEqual(parseDfAvailableMiB(lvm), { availableMiB: 800, mountedOn: '/home/my disk' });
    assert.throws(() => parseDfAvailableMiB('df: /nope: No such file or directory\n'), /cannot read the free space from df/);
  });

  it('refuses a vm larger than the available memory, with the numbers and a size that fits', () => {
    checkVmMemory('lab1', 1024, parseMemAvailableMiB(meminfo));
    const low = meminfo.replace(/^MemAvailable:\s+\d+ kB/m, 'MemAvailable:    1572864 kB');
    const err = refusal(() => checkVmMemory('lab1', 2048, parseMemAvailableMiB(low)));
    assert.equal(err.message, 'not enough memory for vm "lab1": it needs 2048 MiB (+128 MiB for qemu), this host has 1536 MiB available');
    assert.deepEqual(err.suggestions.slice(0, 1), ['ask for less: --memory 1280M']);
    assert.match(refusal(() => checkVmMemory('lab1', 1024, 500)).suggestions[0]!, /at least 512M/);
  });

  it('refuses a vm when its disk and the image build do not fit, adding needs on one filesystem', () => {
    const avail = parseDfAvailableMiB(df);
    checkVmDisk('lab1', [{ what: 'the vm disk', dir: '/root/.local/share/boxlab/vms', needMiB: 1024, ...avail }]);
    const full = parseDfAvailableMiB(df.replace(/(\d+)(\s+\d+%)/, '2097152$2'));
    assert.equal(full.availableMiB, 2048);
    const needs = [
      { what: 'the vm disk', dir: '/root/.local/share/boxlab/vms', needMiB: 1024, ...full },
      { what: 'building the vm image', dir: '/root/.cache/boxlab/vm-images', needMiB: 1536, ...full },
    ];
    const err = refusal(() => checkVmDisk('lab1', needs));
    assert.equal(err.message, 'not enough disk for vm "lab1": it needs 1.0 GiB for the vm disk in /root/.local/share/boxlab/vms and 1.5 GiB for building the vm image in /root/.cache/boxlab/vm-images, / has 2.0 GiB free');
    assert.equal(err.suggestions[0], 'free 0.5 GiB on /');
    assert.match(err.suggestions.join('\n'), /BOXLAB_HOME=/);
    // the same needs on two filesystems each fit
    checkVmDisk('lab1', [needs[0]!, { ...needs[1]!, mountedOn: '/var' }]);
  });
});
