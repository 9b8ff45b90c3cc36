// What a student types after `boxlab lab start` -> the lab they mean, or the ids to suggest.
import assert from 'node:assert/strict';
import { closestIds, matchLabId, type LabIdMatch } from '../../../src/labs/lab-id-match.js';

const CATALOG = [
  '01-containers-are-processes',
  '02-cgroups',
  '03-overlayfs',
  '04-container-lifecycle',
  '05-images-and-registry',
  '06-dockerfile',
  '07-volumes',
  '08-networking',
  '10-volumes-advanced',
];

const cases: { typed: string; want: LabIdMatch }[] = [
  { typed: '04-container-lifecycle', want: { kind: 'found', id: '04-container-lifecycle' } },
  { typed: '04-Container-Lifecycle', want: { kind: 'found', id: '04-container-lifecycle' } },
  { typed: '04', want: { kind: 'found', id: '04-container-lifecycle' } },
  { typed: '4', want: { kind: 'found', id: '04-container-lifecycle' } },
  { typed: '01', want: { kind: 'found', id: '01-containers-are-processes' } },
  { typed: 'container-lifecycle', want: { kind: 'found', id: '04-container-lifecycle' } },
  { typed: 'lifecycle', want: { kind: 'found', id: '04-container-lifecycle' } },
  { typed: 'cgroup', want: { kind: 'found', id: '02-cgroups' } },
  // "volumes" is the name of 07 exactly: the name wins over a part of 10's
  { typed: 'volumes', want: { kind: 'found', id: '07-volumes' } },
  { typed: 'container', want: { kind: 'ambiguous', candidates: ['01-containers-are-processes', '04-container-lifecycle'] } },
  { typed: 'contaner-lifecycle', want: { kind: 'unknown', suggestions: ['04-container-lifecycle'] } },
  { typed: 'overlay-fs', want: { kind: 'unknown', suggestions: ['03-overlayfs'] } },
  { typed: '9', want: { kind: 'unknown', suggestions: [] } },
  { typed: 'kubernetes', want: { kind: 'unknown', suggestions: [] } },
  // too short to pick a lab by a part of its id
  { typed: 'co', want: { kind: 'unknown', suggestions: [] } },
];

describe('matchLabId', () => {
  for (const c of cases) {
    it(`"${c.typed}" -> ${c.want.kind}`, () => assert.deepEqual(matchLabId(c.typed, CATALOG), c.want));
  }

  it('two labs with the same number are ambiguous, not the first one', () => {
    assert.deepEqual(matchLabId('3', ['03-overlayfs', '03-overlayfs-v2']), { kind: 'ambiguous', candidates: ['03-overlayfs', '03-overlayfs-v2'] });
  });

  it('suggests at most three ids, the nearest first', () => {
    assert.deepEqual(closestIds('volume', CATALOG), ['07-volumes']);
    assert.ok(closestIds('x', ['a', 'b', 'c', 'd', 'e']).length <= 3);
  });
});
