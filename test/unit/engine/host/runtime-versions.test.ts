import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOsRelease } from '../../../../src/engine/host/os-release.js';
import { parseInitVersion, parseRuncVersion } from '../../../../src/engine/host/runtime-versions.js';

const OUTPUTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/outputs/host');
const recorded = (file: string) => readFileSync(path.join(OUTPUTS, file), 'utf8');

describe('host facts: the parsers of recorded outputs', () => {
  const cases: Array<{ what: string; got: () => unknown; want: unknown }> = [
    { what: 'runc --version (Debian 12)', got: () => parseRuncVersion(recorded('runc-version-debian12.txt')), want: { version: '1.1.5+ds1', commit: '1.1.5+ds1-1+deb12u1' } },
    { what: 'runc --version without a commit line', got: () => parseRuncVersion('runc version 1.2.0\nspec: 1.2.0\n'), want: { version: '1.2.0', commit: '' } },
    { what: 'something else than runc', got: () => parseRuncVersion('crun version 1.8\n'), want: undefined },
    { what: 'docker-init --version (Debian 12: no git commit)', got: () => parseInitVersion(recorded('docker-init-version-debian12.txt')), want: { version: '0.19.0', commit: '' } },
    // upstream tini's format, as moby's parseInitVersion documents it
    { what: 'tini --version with a git commit', got: () => parseInitVersion('tini version 0.18.0 - git.fec3683\n'), want: { version: '0.18.0', commit: 'fec3683' } },
    { what: 'another init', got: () => parseInitVersion('catatonit 0.1.7\n'), want: undefined },
  ];
  for (const c of cases) it(c.what, () => assert.deepEqual(c.got(), c.want));

  it('/etc/os-release (Debian 12): the name docker info shows', () => {
    const release = parseOsRelease(recorded('os-release-debian12.txt'));
    assert.equal(release.PRETTY_NAME, 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(release.VERSION_ID, '12');
  });
});
