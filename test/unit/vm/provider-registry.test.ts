import assert from 'node:assert/strict';
import { createProvider, defaultProviderName } from '../../../src/vm/provider-registry.js';
import { PROVIDERS } from '../../../src/vm/vm-provider.js';

describe('provider registry', () => {
  it('prefers multipass when installed, else qemu; never local or ssh by default', () => {
    assert.equal(defaultProviderName({ has: (b) => b === 'multipass' }), 'multipass');
    assert.equal(defaultProviderName({ has: () => false }), 'qemu');
  });

  it('declares capabilities as data', async () => {
    assert.deepEqual([...(await createProvider('qemu')).capabilities].sort(), ['labNetwork', 'memorySnapshots', 'portForwarding', 'snapshots', 'stopStart', 'vmBoundary']);
    assert.ok(!(await createProvider('local', { warn: () => undefined })).capabilities.includes('vmBoundary'));
    assert.ok(!(await createProvider('ssh')).capabilities.includes('snapshots'));
    await assert.rejects(createProvider('vbox'), { code: 'INVALID_ARGUMENT', message: 'unknown provider "vbox"', suggestions: ['use one of: multipass, qemu, ssh, local'] });
  });

  it('makes a provider of every name in the one list, named as asked', async () => {
    for (const name of PROVIDERS) assert.equal((await createProvider(name, { warn: () => undefined })).name, name);
  });
});
