import assert from 'node:assert/strict';
import { parseFilters, Query } from '../../../../src/engine/api/query.js';

describe('query parsing', () => {
  it('reads Docker booleans: 1/true and 0/false, with a default when absent', () => {
    const q = Query.parse('?all=1&force=true&v=0&stream=false');
    assert.equal(q.bool('all'), true);
    assert.equal(q.bool('force'), true);
    assert.equal(q.bool('v'), false);
    assert.equal(q.bool('stream', true), false);
    assert.equal(q.bool('missing', true), true);
    assert.throws(() => Query.parse('?all=yes').bool('all'), /expected 1\/true or 0\/false, got "yes"/);
  });

  it('reads integers and fractional seconds', () => {
    const q = Query.parse('?t=10&since=1700000000.500000000&bad=x');
    assert.equal(q.int('t'), 10);
    assert.equal(q.int('none'), undefined);
    assert.equal(q.seconds('since'), 1700000000.5);
    assert.throws(() => q.int('bad'), /expected an integer/);
  });

  it('parses filters in the list form and the older map form', () => {
    assert.deepEqual(parseFilters('{"status":["running"],"name":["web"]}'), { status: ['running'], name: ['web'] });
    assert.deepEqual(parseFilters('{"status":{"running":true,"exited":false}}'), { status: ['running'] });
    assert.deepEqual(parseFilters(undefined), {});
  });

  it('names the problem in malformed filters', () => {
    assert.throws(() => parseFilters('{status'), /invalid filters: expected a JSON object/);
    assert.throws(() => parseFilters('["a"]'), /invalid filters/);
    assert.throws(() => parseFilters('{"status":"running"}'), /invalid filter "status": expected a list/);
  });
});
