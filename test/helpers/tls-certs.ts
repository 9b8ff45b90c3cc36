// A throw-away PKI for TLS tests, made with openssl at test time (no key is ever committed), following
// Docker's "Protect the Docker daemon socket" steps: a CA; a server certificate for localhost and
// 127.0.0.1 (extendedKeyUsage serverAuth); a client certificate (clientAuth); and a second CA with its own
// client, which the engine must refuse. RSA 2048 and one day of validity keep it quick.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/core/exec.js';

export interface TestPki {
  dir: string;
  /** the CA that signs the server's and the client's certificates */
  ca: string;
  serverCert: string;
  serverKey: string;
  /** the client's certificate and key (as docker's --tlscert/--tlskey, DOCKER_CERT_PATH's cert.pem/key.pem) */
  clientCert: string;
  clientKey: string;
  /** a client certificate signed by another CA */
  strangerCert: string;
  strangerKey: string;
  strangerCa: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/** makes the certificates in dir (created if needed) and returns their paths */
export async function makeTestPki(dir: string): Promise<TestPki> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const at = (name: string) => path.join(dir, name);
  await fs.writeFile(at('server.cnf'), 'subjectAltName = DNS:localhost,IP:127.0.0.1\nextendedKeyUsage = serverAuth\n');
  await fs.writeFile(at('client.cnf'), 'extendedKeyUsage = clientAuth\n');

  const newCa = async (name: string, subject: string) => {
    await openssl(dir, ['genrsa', '-out', `${name}-key.pem`, '2048']);
    await openssl(dir, ['req', '-new', '-x509', '-days', '1', '-key', `${name}-key.pem`, '-sha256', '-out', `${name}.pem`, '-subj', subject]);
  };
  const signed = async (name: string, subject: string, ca: string, ext: string) => {
    await openssl(dir, ['genrsa', '-out', `${name}-key.pem`, '2048']);
    await openssl(dir, ['req', '-new', '-sha256', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject]);
    await openssl(dir, ['x509', '-req', '-days', '1', '-sha256', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}-key.pem`, '-CAcreateserial', '-out', `${name}-cert.pem`, '-extfile', ext]);
  };
  await newCa('ca', '/CN=boxlab test CA');
  await signed('server', '/CN=localhost', 'ca', 'server.cnf');
  await signed('client', '/CN=student', 'ca', 'client.cnf');
  await newCa('stranger-ca', '/CN=someone else CA');
  await signed('stranger', '/CN=stranger', 'stranger-ca', 'client.cnf');
  return {
    dir,
    ca: at('ca.pem'),
    serverCert: at('server-cert.pem'),
    serverKey: at('server-key.pem'),
    clientCert: at('client-cert.pem'),
    clientKey: at('client-key.pem'),
    strangerCert: at('stranger-cert.pem'),
    strangerKey: at('stranger-key.pem'),
    strangerCa: at('stranger-ca.pem'),
  };
}
