// The engine's TLS files (--tlscacert --tlscert --tlskey), read once at start: the server's certificate
// and key, and with --tlsverify the CA that signs the clients' certificates. A file that cannot be read
// or a key that does not match its certificate stops the start with what to fix, as dockerd's "Could not
// load X509 key pair" does.
import { promises as fs } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { invalidArgument, messageOf } from '../../core/errors.js';
import type { ServerTls } from '../api/api-server.js';
import type { TlsSettings } from './engine-config.js';

const MAKE_THEM = 'make a CA and certificates with openssl (see docs/adr/0013-engine-configuration-file.md), or give their paths with --tlscacert --tlscert --tlskey';

export async function readTlsFiles(settings: TlsSettings): Promise<ServerTls> {
  const read = async (file: string, what: string) => {
    try {
      return await fs.readFile(file);
    } catch (err) {
      throw invalidArgument(`could not read the TLS ${what} "${file}": ${messageOf(err)}`, { suggestions: [MAKE_THEM] });
    }
  };
  const cert = await read(settings.certFile, 'certificate (--tlscert)');
  const key = await read(settings.keyFile, 'key (--tlskey)');
  const ca = settings.verify ? await read(settings.caFile, 'CA certificate (--tlscacert)') : undefined;
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error('the key does not belong to the certificate');
    if (ca) new X509Certificate(ca);
  } catch (err) {
    throw invalidArgument(`Could not load X509 key pair (cert: "${settings.certFile}", key: "${settings.keyFile}"${ca ? `, CA: "${settings.caFile}"` : ''}): ${messageOf(err)}`, {
      suggestions: ['give the server certificate with --tlscert, its own key with --tlskey and the CA with --tlscacert, all PEM files'],
    });
  }
  return { cert, key, ca, verify: settings.verify };
}
