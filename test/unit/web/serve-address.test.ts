import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { pageUrls, readRememberedServe, rememberServe } from '../../../src/web/serve-address.js';

const iface = (address: string, internal: boolean, family: 'IPv4' | 'IPv6' = 'IPv4') =>
  ({ address, internal, family, netmask: '', mac: '', cidr: null }) as unknown as NetworkInterfaceInfo;

describe('serve address', () => {
  it('keeps the port and the token in a file only root can read', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'serve-addr-')), 'home', 'serve.json');
    assert.equal(await readRememberedServe(file), undefined);
    await rememberServe(file, { port: 8123, token: 'abcdefghijklmnopqrstuvwx' });
    assert.deepEqual(await readRememberedServe(file), { port: 8123, token: 'abcdefghijklmnopqrstuvwx' });
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('ignores a file that is damaged or not its own', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'serve-addr-')), 'serve.json');
    for (const text of ['{', '{"port":0,"token":"abcdefghijklmnopqrstuvwx"}', '{"port":8080,"token":"short"}', '{"port":8080,"token":"has spaces in it !!!!!!"}']) {
      writeFileSync(file, text);
      assert.equal(await readRememberedServe(file), undefined, text);
    }
  });

  it('prints the address asked for, or every address others can reach for 0.0.0.0', () => {
    const nics = { lo: [iface('127.0.0.1', true)], eth0: [iface('192.168.1.20', false), iface('fe80::1', false, 'IPv6')], docker0: undefined };
    assert.deepEqual(pageUrls('127.0.0.1', 8080, 't', nics), ['http://127.0.0.1:8080/?token=t']);
    assert.deepEqual(pageUrls('0.0.0.0', 8080, 't', nics), ['http://127.0.0.1:8080/?token=t', 'http://192.168.1.20:8080/?token=t']);
    assert.deepEqual(pageUrls('::1', 8080, 't', nics), ['http://[::1]:8080/?token=t']);
  });
});
