import assert from 'node:assert/strict';
import { allowedOrigins, checkRequest, newToken, parseCookies, tokenCookie, TOKEN_COOKIE } from '../../../../src/web/server/web-auth.js';

describe('web auth', () => {
  const token = 'secret-token';
  const policy = { token, origins: allowedOrigins('127.0.0.1', 8080) };

  it('makes long random tokens', () => {
    const a = newToken();
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(a, newToken());
  });

  it('no token is 401, a wrong one 403, the right one passes by query or cookie', () => {
    assert.equal(checkRequest({ url: '/api/labs', headers: {} }, policy).ok, false);
    assert.deepEqual(checkRequest({ url: '/api/labs', headers: {} }, policy), {
      ok: false, status: 401, reason: 'this page needs the token that boxlab serve printed: open the URL with ?token=...',
    });
    assert.deepEqual(checkRequest({ url: '/?token=nope', headers: {} }, policy), { ok: false, status: 403, reason: 'wrong token' });
    assert.deepEqual(checkRequest({ url: '/?token=secret-token', headers: {} }, policy), { ok: true, via: 'query' });
    assert.deepEqual(checkRequest({ url: '/api/labs', headers: { cookie: `a=b; ${TOKEN_COOKIE}=secret-token` } }, policy), { ok: true, via: 'cookie' });
    assert.deepEqual(checkRequest({ url: '/api/labs', headers: { cookie: `${TOKEN_COOKIE}=secret-tokeN` } }, policy), { ok: false, status: 403, reason: 'wrong token' });
  });

  it('refuses a foreign Origin even with the right token (cross-site WebSocket hijacking)', () => {
    const r = checkRequest({ url: '/ws/terminal', headers: { origin: 'http://evil.example', cookie: `${TOKEN_COOKIE}=secret-token` } }, policy);
    assert.deepEqual(r, { ok: false, status: 403, reason: 'origin http://evil.example may not use this boxlab page' });
    assert.equal(checkRequest({ url: '/', headers: { origin: 'http://127.0.0.1:8081', cookie: `${TOKEN_COOKIE}=secret-token` } }, policy).ok, false, 'another port is another origin');
    assert.equal(checkRequest({ url: '/', headers: { origin: 'http://localhost:8080', cookie: `${TOKEN_COOKIE}=secret-token` } }, policy).ok, true);
  });

  it('on 0.0.0.0 the page may use the origin it was reached by, nothing else', () => {
    const open = { token, origins: allowedOrigins('0.0.0.0', 9000), anyHost: true };
    assert.deepEqual(open.origins, ['http://127.0.0.1:9000', 'http://localhost:9000']);
    const cookie = `${TOKEN_COOKIE}=secret-token`;
    assert.equal(checkRequest({ url: '/', headers: { origin: 'http://10.0.0.5:9000', host: '10.0.0.5:9000', cookie } }, open).ok, true);
    assert.equal(checkRequest({ url: '/', headers: { origin: 'http://evil.example', host: '10.0.0.5:9000', cookie } }, open).ok, false);
  });

  it('parses cookies and sets an HttpOnly, SameSite=Strict cookie', () => {
    assert.deepEqual(parseCookies('a=1; b = two%20words;c'), { a: '1', b: 'two words' });
    assert.deepEqual(parseCookies(undefined), {});
    assert.equal(tokenCookie('t/+='), 'boxlab_token=t%2F%2B%3D; Path=/; HttpOnly; SameSite=Strict');
  });
});
