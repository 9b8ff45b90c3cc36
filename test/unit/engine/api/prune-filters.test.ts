import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePruneFilter } from '../../../../src/engine/api/prune-filters.js';
import { parseFilters } from '../../../../src/engine/api/query.js';
import { REPO_ROOT } from '../../../helpers/repo-paths.js';

interface RecordedPrune {
  command?: string;
  error?: string | null;
  request?: string;
  status?: number;
  body?: { message?: string };
}

const RECORDED: RecordedPrune[] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/outputs/dockerd-api/prune.json'), 'utf8'));
const KINDS = { container: 'container', volume: 'volume', network: 'network', containers: 'container', volumes: 'volume', networks: 'network' } as const;

describe('prune filters, as dockerd 20.10 reads them', () => {
  for (const r of RECORDED.filter((c) => c.command)) {
    // docker <kind> prune -f --filter key=value
    const [, kind, , , , flt] = r.command!.split(' ') as [string, keyof typeof KINDS, string, string, string, string];
    const eq = flt.indexOf('=');
    const filters = { [flt.slice(0, eq)]: [flt.slice(eq + 1)] };
    it(`${r.command} -> ${r.error ?? 'accepted'}`, () => {
      if (r.error === null) return void parsePruneFilter(KINDS[kind], filters);
      assert.throws(() => parsePruneFilter(KINDS[kind], filters), (err: Error) => err.message === r.error);
    });
  }

  for (const r of RECORDED.filter((c) => c.request && c.status !== 200 && !c.request.includes('notjson'))) {
    const [, pathAndQuery] = r.request!.split(' ') as [string, string];
    const kind = pathAndQuery.split('/')[1] as keyof typeof KINDS;
    it(`${r.request} -> ${r.body?.message}`, () => {
      const filters = parseFilters(pathAndQuery.slice(pathAndQuery.indexOf('filters=') + 'filters='.length));
      assert.throws(() => parsePruneFilter(KINDS[kind], filters), (err: Error) => err.message === r.body?.message);
    });
  }

  it('keeps what was created after until and what the label filters exclude', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const f = parsePruneFilter('container', { until: ['24h'], label: ['keep=no'], 'label!': ['pinned'] }, now);
    assert.equal(f.matches({ keep: 'no' }, '2026-11-21T10:00:00Z'), true);
    assert.equal(f.matches({ keep: 'no' }, '2026-11-23T09:00:00Z'), false, 'newer than 24h');
    assert.equal(f.matches({ keep: 'yes' }, '2026-11-21T10:00:00Z'), false, 'label value differs');
    assert.equal(f.matches({ keep: 'no', pinned: '' }, '2026-11-21T10:00:00Z'), false, 'label! matches');
    assert.equal(parsePruneFilter('volume', { label: ['constructor'] }).matches({}, '2026-11-21T10:00:00Z'), false, 'no inherited keys');
    assert.equal(parsePruneFilter('network', {}).matches(undefined, '2026-11-21T10:00:00Z'), true);
  });
});
