// A real Debian `docker-registry` (distribution 2.8) for tests: its own config, data and optional htpasswd
// in a temp dir, bound to 127.0.0.1 on a free port (or another address of this host, with TLS: a certificate
// the test made). stop() kills it and removes the dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** a bcrypt htpasswd line (docker-registry accepts only bcrypt; cost 4 keeps each request fast), made with libcrypt through python3 */
export async function htpasswdLine(user: string, password: string): Promise<string> {
  const script = 'import crypt,sys; print(sys.argv[1] + ":" + crypt.crypt(sys.argv[2], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))';
  const res = await run('python3', ['-W', 'ignore', '-c', script, user, password]);
  return res.stdout.trim();
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { headers, timeout: 1000, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });
}

export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate whose key signs the tokens */
  certFile: string;
}

export class TestRegistry {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly child: ChildProcess,
    readonly auth?: { user: string; password: string },
    readonly address = '127.0.0.1',
    readonly tls = false,
  ) {}

  get host(): string {
    return `${this.address}:${this.port}`;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://${this.host}`;
  }

  static async start(options: {
    auth?: { user: string; password: string };
    token?: TokenAuthConfig;
    label?: string;
    /** an address of this host to listen on instead of 127.0.0.1 */
    address?: string;
    /** serve HTTPS with this certificate and key (PEM files) */
    tls?: { certificate: string; key: string };
  } = {}): Promise<TestRegistry> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `boxlab-distribution-${options.label ?? 'registry'}-`));
    const port = await freePort();
    const address = options.address ?? '127.0.0.1';
    const lines = [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${address}:${port}`,
    ];
    if (options.tls) lines.push('  tls:', `    certificate: ${options.tls.certificate}`, `    key: ${options.tls.key}`);
    if (options.auth) {
      await fs.writeFile(path.join(dir, 'htpasswd'), (await htpasswdLine(options.auth.user, options.auth.password)) + '\n');
      lines.push('auth:', '  htpasswd:', '    realm: boxlab-test', `    path: ${path.join(dir, 'htpasswd')}`);
    }
    if (options.token) {
      lines.push(
        'auth:',
        '  token:',
        `    realm: ${options.token.realm}`,
        `    service: ${options.token.service}`,
        `    issuer: ${options.token.issuer}`,
        `    rootcertbundle: ${options.token.certFile}`,
      );
    }
    await fs.writeFile(path.join(dir, 'config.yml'), lines.join('\n') + '\n');
    const log = await fs.open(path.join(dir, 'registry.log'), 'a');
    const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', log.fd, log.fd] });
    await log.close();
    const registry = new TestRegistry(dir, port, child, options.auth, address, !!options.tls);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const status = await get(`${registry.url}/v2/`);
      if (status === 200 || status === 401) break;
      if (child.exitCode !== null || Date.now() > deadline) {
        const text = await fs.readFile(path.join(dir, 'registry.log'), 'utf8').catch(() => '');
        await registry.stop();
        throw new Error(`docker-registry did not start:\n${text}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return registry;
  }

  /** skopeo's --dest-creds / --src-creds value when the registry has auth */
  get creds(): string[] {
    return this.auth ? [`${this.auth.user}:${this.auth.password}`] : [];
  }

  /** skopeo copy <source> docker://<host>/<dest> */
  async copyIn(source: string, dest: string, extra: string[] = []): Promise<void> {
    const creds = this.auth ? ['--dest-creds', `${this.auth.user}:${this.auth.password}`] : [];
    await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...creds, ...extra, source, `docker://${this.host}/${dest}`], { timeout: 120_000 });
  }

  /** skopeo inspect --raw: the manifest bytes as the registry serves them, and their digest */
  async inspect(ref: string): Promise<{ digest: string; raw: string }> {
    const creds = this.auth ? ['--creds', `${this.auth.user}:${this.auth.password}`] : [];
    const raw = (await run('skopeo', ['inspect', '--raw', '--tls-verify=false', ...creds, `docker://${this.host}/${ref}`])).stdout;
    const info = JSON.parse((await run('skopeo', ['inspect', '--tls-verify=false', ...creds, `docker://${this.host}/${ref}`])).stdout) as { Digest: string };
    return { digest: info.Digest, raw };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
