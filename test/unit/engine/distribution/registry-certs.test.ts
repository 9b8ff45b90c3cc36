import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { certificateErrorText, certsDir, classifyCertFiles, readRegistryTls } from '../../../../src/engine/distribution/registry-certs.js';

describe('registry certs.d (per-registry CAs and client certificates, as dockerd)', () => {
  it('reads /etc/docker/certs.d unless BOXLAB_CERTS_D says otherwise', () => {
    assert.equal(certsDir({}), '/etc/docker/certs.d');
    assert.equal(certsDir({ BOXLAB_CERTS_D: '/tmp/x' }), '/tmp/x');
  });

  it('sorts *.crt as CAs and *.cert/*.key as client pairs; a lone .cert or .key is an error naming the missing file', () => {
    assert.deepEqual(classifyCertFiles(['ca.crt', 'b.crt', 'client.cert', 'client.key', 'README'], '/d'), {
      cas: ['b.crt', 'ca.crt'],
      pairs: [{ cert: 'client.cert', key: 'client.key' }],
    });
    assert.throws(() => classifyCertFiles(['client.cert'], '/d/h:1'), /missing key client\.key for client certificate client\.cert in \/d\/h:1/);
    assert.throws(() => classifyCertFiles(['client.key'], '/d/h:1'), /missing client certificate client\.cert for key client\.key/);
  });

  it('adds the folder\'s CAs to the system roots for that registry only; no folder means no options', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-certs-unit-'));
    try {
      mkdirSync(path.join(dir, 'reg.lan:5000'));
      writeFileSync(path.join(dir, 'reg.lan:5000', 'ca.crt'), 'PEM-CA');
      const tls = readRegistryTls('reg.lan:5000', dir);
      assert.equal(tls?.ca?.length, rootCertificates.length + 1);
      assert.equal(tls?.ca?.at(-1), 'PEM-CA');
      assert.equal(readRegistryTls('other:5000', dir), undefined);
      assert.equal(readRegistryTls('..', dir), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("words an untrusted certificate as dockerd (Go's x509 text), other errors not at all", () => {
    assert.equal(
      certificateErrorText({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' }),
      'x509: certificate signed by unknown authority (unable to verify the first certificate)',
    );
    assert.match(certificateErrorText({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'IP: 1.2.3.4 is not in the cert' }) ?? '', /^x509: certificate is not valid/);
    assert.equal(certificateErrorText({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }), undefined);
  });
});
