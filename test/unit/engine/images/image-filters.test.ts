import assert from 'node:assert/strict';
import { familiarMatch, listImages, pathMatch, planPrune } from '../../../../src/engine/images/image-filters.js';
import type { ImageRecord } from '../../../../src/engine/images/image-record.js';
import { imageRecord } from './image-record-fixture.js';

function image(n: number, fields: Partial<ImageRecord> = {}): ImageRecord {
  return imageRecord(n, { created: `2026-11-23T10:00:0${n}.000000000Z`, ...fields });
}

// busybox (1) <- step (2, untagged) <- lab/tools:1.0 (3); 4: dangling; 5: registry name + busybox:old
const busybox = image(1, { repoTags: ['busybox:latest'] });
const step = image(2, { parent: busybox.id });
const tools = image(3, { parent: step.id, repoTags: ['lab/tools:1.0'], config: { Labels: { lab: '05', tier: 'x' } } });
const dangling = image(4, { config: { Labels: { lab: '06' } } });
const pushed = image(5, { repoTags: ['127.0.0.1:5391/lab/tools:2.0', 'busybox:old'], repoDigests: ['127.0.0.1:5391/lab/tools@sha256:' + 'a'.repeat(64)] });
const all = [busybox, step, tools, dangling, pushed];

const rows = (options: Parameters<typeof listImages>[1]) => listImages(all, options).map((r) => [...r.repoTags, ...(r.repoTags.length ? [] : ['<none>'])].join(','));

describe('image-filters', () => {
  describe('pathMatch (Go path.Match)', () => {
    it('matches * and ? within one path segment only', () => {
      assert.equal(pathMatch('lab/*', 'lab/tools'), true);
      assert.equal(pathMatch('lab/*', 'lab/a/b'), false);
      assert.equal(pathMatch('*', 'lab/tools'), false);
      assert.equal(pathMatch('busy?ox', 'busybox'), true);
      assert.equal(pathMatch('[a-c]usybox', 'busybox'), true);
      assert.equal(pathMatch('[^a-c]usybox', 'busybox'), false);
      assert.equal(pathMatch('127.0.0.1:5391/lab/*', '127.0.0.1:5391/lab/tools'), true);
      assert.equal(pathMatch('127.0.0.1:5391/lab/*', '127a0a0a1:5391/lab/tools'), false, 'dots are literal');
      assert.equal(pathMatch('l15-img', 'l15-img'), true, 'a dash outside a class is literal (docker images l15-img)');
      assert.equal(pathMatch('l15-*', 'l15-img'), true);
      assert.equal(pathMatch('l15-img', 'l15img'), false);
      assert.equal(pathMatch('l23-cache', 'l23-cache'), true, 'a dash is literal (docker images l23-cache)');
      assert.equal(pathMatch('l23-*', 'l23-web'), true);
      assert.equal(pathMatch('l23-*', 'l24-web'), false);
    });
    it('rejects a malformed pattern', () => {
      assert.throws(() => pathMatch('lab/[', 'lab/x'), /syntax error in pattern/);
    });
  });

  it('familiarMatch tries name:tag, then the repository name', () => {
    assert.equal(familiarMatch('lab/tools', 'lab/tools:1.0'), true);
    assert.equal(familiarMatch('lab/tools:1.0', 'lab/tools:1.0'), true);
    assert.equal(familiarMatch('lab/tools:2.0', 'lab/tools:1.0'), false);
    assert.equal(familiarMatch('l23-cache', 'l23-cache:1'), true);
    assert.equal(familiarMatch('localhost:5000/x', 'localhost:5000/x:1'), true);
  });

  describe('listImages', () => {
    it('hides intermediate images unless all, newest first', () => {
      assert.deepEqual(rows({ all: false, filters: {} }), ['127.0.0.1:5391/lab/tools:2.0,busybox:old', '<none>', 'lab/tools:1.0', 'busybox:latest']);
      assert.deepEqual(rows({ all: true, filters: {} }), ['127.0.0.1:5391/lab/tools:2.0,busybox:old', '<none>', 'lab/tools:1.0', '<none>', 'busybox:latest']);
    });
    it('filters references per name, with wildcards and registry hosts', () => {
      assert.deepEqual(rows({ all: false, filters: { reference: ['busybox'] } }), ['busybox:old', 'busybox:latest']);
      assert.deepEqual(rows({ all: false, filters: { reference: ['lab/*'] } }), ['lab/tools:1.0']);
      assert.deepEqual(rows({ all: false, filters: { reference: ['127.0.0.1:5391/lab/tools'] } }), ['127.0.0.1:5391/lab/tools:2.0']);
      const digests = listImages(all, { all: false, filters: { reference: ['127.0.0.1:5391/lab/tools'] } })[0]!.repoDigests;
      assert.equal(digests.length, 1);
    });
    it('dangling, label, before and since', () => {
      assert.deepEqual(rows({ all: true, filters: { dangling: ['true'] } }), ['<none>']);
      assert.deepEqual(rows({ all: false, filters: { dangling: ['false'] } }), ['127.0.0.1:5391/lab/tools:2.0,busybox:old', 'lab/tools:1.0', 'busybox:latest']);
      assert.deepEqual(rows({ all: false, filters: { label: ['lab'] } }), ['<none>', 'lab/tools:1.0']);
      assert.deepEqual(rows({ all: false, filters: { label: ['lab=05', 'tier'] } }), ['lab/tools:1.0']);
      assert.deepEqual(rows({ all: false, filters: {}, before: tools }), ['busybox:latest']);
      assert.deepEqual(rows({ all: false, filters: {}, since: tools }), ['127.0.0.1:5391/lab/tools:2.0,busybox:old', '<none>']);
    });
    it('refuses unknown filters and bad dangling values', () => {
      assert.throws(() => listImages(all, { all: false, filters: { nope: ['1'] } }), /Invalid filter 'nope'/);
      assert.throws(() => listImages(all, { all: false, filters: { dangling: ['maybe'] } }), /Invalid filter 'dangling=\[maybe\]'/);
    });
  });

  describe('planPrune', () => {
    const ids = (filters: Record<string, string[]>) => planPrune(all, filters, Date.parse('2026-11-23T10:00:10Z')).targets.map((t) => t.image.id.slice(7, 8));
    it('takes untagged heads by default, never an intermediate image on its own', () => {
      assert.deepEqual(ids({}), ['4']);
    });
    it('honours label, label! and until', () => {
      assert.deepEqual(ids({ label: ['lab=05'] }), []);
      assert.deepEqual(ids({ label: ['lab=06'] }), ['4']);
      assert.deepEqual(ids({ 'label!': ['lab=06'] }), []);
      assert.deepEqual(ids({ until: ['2026-11-23T10:00:03Z'] }), []);
      assert.deepEqual(ids({ until: ['2026-11-23T10:00:04Z'] }), ['4']);
      assert.deepEqual(ids({ until: ['5s'] }), ['4'], 'until=5s: created before 10:00:05');
    });
    it('with dangling=false takes tagged images too, with every name', () => {
      assert.deepEqual(ids({ dangling: ['false'] }), ['5', '4', '3', '1']);
      assert.deepEqual(ids({ dangling: ['false'], label: ['lab=05'] }), ['3']);
      const five = planPrune(all, { dangling: ['false'] }, 0).targets[0]!;
      assert.equal(five.refs.length, 3);
    });
    it('refuses unknown filters and two untils', () => {
      assert.throws(() => planPrune(all, { reference: ['x'] }, 0), /Invalid filter 'reference'/);
      assert.throws(() => planPrune(all, { until: ['1h', '2h'] }, 0), /more than one until/);
    });
  });

});
