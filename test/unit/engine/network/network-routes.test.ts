import assert from 'node:assert/strict';
import { filterNetworks } from '../../../../src/engine/api/routes/network-routes.js';
import { builtinNetwork } from '../../../../src/engine/network/network-views.js';

describe('network list filters (docker network ls --filter)', () => {
  const custom = { ...builtinNetwork('none'), Name: 'appnet', Id: 'abc123'.padEnd(64, '0'), Driver: 'bridge', Labels: { team: 'a' }, Containers: {} };
  const withContainer = { ...custom, Name: 'busy', Id: 'def456'.padEnd(64, '0'), Labels: {}, Containers: { x: {} } };
  const all = [builtinNetwork('host'), builtinNetwork('none'), custom, withContainer] as Parameters<typeof filterNetworks>[0];
  const names = (f: Record<string, string[]>) => filterNetworks(all, f).map((n) => n.Name);

  it('type=custom and builtin, name (substring), id (prefix), driver, label, dangling', () => {
    assert.deepEqual(names({ type: ['custom'] }), ['appnet', 'busy']);
    assert.deepEqual(names({ type: ['builtin'] }), ['host', 'none']);
    assert.deepEqual(names({ name: ['app'] }), ['appnet']);
    assert.deepEqual(names({ id: ['def'] }), ['busy']);
    assert.deepEqual(names({ driver: ['null'] }), ['none']);
    assert.deepEqual(names({ label: ['team=a'] }), ['appnet']);
    assert.deepEqual(names({ dangling: ['true'] }), ['appnet']);
  });

  it('name is a regular expression, as in dockerd 20.10 (docker network ls --filter name=^none$ gives one network)', () => {
    assert.deepEqual(names({ name: ['^none$'] }), ['none']);
    assert.deepEqual(names({ name: ['^(host|busy)$'] }), ['host', 'busy']);
    assert.deepEqual(names({ name: ['p[pn]'] }), ['appnet']);
    assert.deepEqual(names({ name: ['('] }), [], 'not an expression: a substring, which no name has');
  });
});
