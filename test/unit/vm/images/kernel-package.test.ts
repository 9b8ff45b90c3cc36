// parseKernelDepends: which versioned kernel package the sandbox image is built from, read from apt-cache.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseKernelDepends } from '../../../../src/vm/images/kernel-package.js';

const fixture = (name: string) => readFileSync(path.join('test/fixtures/outputs/apt', name), 'utf8');

describe('parseKernelDepends', () => {
  it('finds the versioned package in recorded apt-cache output', () => {
    assert.equal(parseKernelDepends(fixture('apt-cache-depends-linux-image-amd64.txt')), 'linux-image-6.1.0-56-amd64');
  });

  it('ignores other dependencies and returns nothing when apt knows no kernel', () => {
    assert.equal(parseKernelDepends('linux-image-amd64\n  Depends: initramfs-tools\n'), undefined);
    assert.equal(parseKernelDepends(''), undefined);
  });
});
