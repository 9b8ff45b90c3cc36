import assert from 'node:assert/strict';
import { Router } from '../../../../src/engine/api/router.js';

describe('router', () => {
  const noop = async () => undefined;
  const router = new Router()
    .get('/containers/json', noop)
    .get('/containers/:id/json', noop)
    .post('/containers/:id/attach', noop, { hijack: true })
    .get('/images/*name/json', noop)
    .delete('/images/*name', noop);

  const found = (method: string, path: string) => {
    const m = router.match(method, path);
    return m.kind === 'found' ? { pattern: m.route.pattern, params: m.params, hijack: m.route.hijack } : undefined;
  };

  it('matches fixed paths before parameters, in the order added', () => {
    assert.deepEqual(found('GET', '/containers/json'), { pattern: '/containers/json', params: {}, hijack: false });
    assert.deepEqual(found('GET', '/containers/web/json')?.params, { id: 'web' });
  });

  it('matches by method', () => {
    assert.equal(found('POST', '/containers/json'), undefined);
    assert.equal(found('POST', '/containers/abc/attach')?.hijack, true);
  });

  it('lets a * parameter take image names with slashes, colons and a registry port', () => {
    assert.deepEqual(found('GET', '/images/localhost:5000/team/app:v1/json')?.params, { name: 'localhost:5000/team/app:v1' });
    assert.deepEqual(found('DELETE', '/images/library/busybox:latest')?.params, { name: 'library/busybox:latest' });
  });

  it('decodes percent-encoded parameters and accepts a trailing slash', () => {
    assert.deepEqual(found('GET', '/containers/my%20box/json/')?.params, { id: 'my box' });
  });

  it('does not match partial paths', () => {
    assert.equal(found('GET', '/containers/a/b/json'), undefined);
    assert.equal(found('GET', '/containersjson'), undefined);
  });
});
