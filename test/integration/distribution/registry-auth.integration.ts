import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAppError } from '../../../src/core/errors.js';
import { run } from '../../../src/core/exec.js';
import { enginePaths } from '../../../src/core/paths.js';
import { RegistryDistribution } from '../../../src/engine/distribution/distribution-service.js';
import type { JsonMessage } from '../../../src/engine/distribution/progress-message.js';
import { LocalImageStore } from '../../../src/engine/images/local-image-store.js';
import { busyboxArchive } from '../../helpers/engine-harness.js';
import { requires } from '../../helpers/requires.js';
import { TestRegistry } from './registry-fixture.js';
import { TOKEN_ISSUER, TOKEN_SERVICE, TokenServer } from './token-server.js';

describe('distribution: registry auth, basic and bearer token (root)', function () {
  this.timeout(120_000);
  let work: string;
  const alice = { username: 'alice', password: 's3cret pass' };

  before(async function () {
    requires(this, 'root', 'skopeo', 'busybox');
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-distribution-auth-'));
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  async function engine() {
    const paths = enginePaths(await fs.mkdtemp(path.join(work, 'root-')));
    const images = new LocalImageStore(paths);
    await images.init();
    return { images, distribution: new RegistryDistribution({ images, content: images.content, tmpDir: paths.tmp }) };
  }

  async function pullAll(d: RegistryDistribution, ref: string, creds = {}) {
    const messages: JsonMessage[] = [];
    const image = await (await d.resolvePull(ref, creds)).run((m) => messages.push(m));
    return { image, messages };
  }

  describe('htpasswd (Basic)', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await TestRegistry.start({ label: 'basic', auth: { user: alice.username, password: alice.password } });
      await registry.copyIn(`docker-archive:${await busyboxArchive()}`, 'team/busybox:1');
    });
    after(async () => registry?.stop());

    it('refuses an anonymous pull with Docker\'s "pull access denied" and pulls with the password', async () => {
      const { distribution } = await engine();
      await assert.rejects(distribution.resolvePull(`${registry.host}/team/busybox:1`, {}), (err: unknown) => {
        assert.ok(isAppError(err, 'NOT_FOUND'));
        assert.match(err.message, /^pull access denied for 127\.0\.0\.1:\d+\/team\/busybox, repository does not exist or may require 'docker login'/);
        return true;
      });
      const { image } = await pullAll(distribution, `${registry.host}/team/busybox:1`, alice);
      assert.equal(image.manifestDigest, (await registry.inspect('team/busybox:1')).digest);
    });

    it('docker login: "Login Succeeded" with the right password, a 401 message with a wrong one', async () => {
      const { distribution } = await engine();
      assert.deepEqual(await distribution.login({ ...alice, serverAddress: registry.host }), { Status: 'Login Succeeded' });
      await assert.rejects(distribution.login({ username: 'alice', password: 'wrong', serverAddress: registry.host }), (err: unknown) => {
        assert.ok(isAppError(err, 'INVALID_ARGUMENT'));
        assert.equal(err.message, `login attempt to http://${registry.host}/v2/ failed with status: 401 Unauthorized`);
        return true;
      });
    });

    it('pushes with the password; without it the push is refused', async () => {
      const { distribution, images } = await engine();
      await pullAll(distribution, `${registry.host}/team/busybox:1`, alice);
      await images.tag(`${registry.host}/team/busybox:1`, `${registry.host}/team/copy:2`);
      const refused: JsonMessage[] = [];
      await assert.rejects(distribution.push(`${registry.host}/team/copy:2`, {}, (m) => refused.push(m)), /push to .*team\/copy was refused \(401\)/);
      const result = await distribution.push(`${registry.host}/team/copy:2`, alice, () => undefined);
      assert.equal((await registry.inspect('team/copy:2')).digest, result.digest);
    });
  });

  describe('bearer token (a token server the real registry trusts)', () => {
    let registry: TestRegistry;
    let tokens: TokenServer;
    before(async () => {
      tokens = await TokenServer.start(work, { [alice.username]: alice.password });
      registry = await TestRegistry.start({
        label: 'token',
        token: { realm: tokens.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certFile: tokens.certFile },
      });
      await registry.copyIn(`docker-archive:${await busyboxArchive()}`, 'me/private:1', ['--dest-creds', `${alice.username}:${alice.password}`]);
    });
    after(async () => {
      await registry?.stop();
      await tokens?.stop();
    });

    it('follows the WWW-Authenticate challenge to the realm with service and scope, then pulls with the token', async () => {
      const { distribution } = await engine();
      tokens.requests.length = 0;
      const { image } = await pullAll(distribution, `${registry.host}/me/private:1`, alice);
      assert.ok(image.repoDigests[0].startsWith(`${registry.host}/me/private@sha256:`));
      assert.deepEqual(tokens.requests[0], { scope: 'repository:me/private:pull', service: TOKEN_SERVICE, account: 'alice', user: 'alice' });
      assert.equal(tokens.requests.length, 1, 'one token serves the whole pull');
    });

    it('anonymous: the token grants nothing and the pull is denied; a wrong password is refused by the token server', async () => {
      const { distribution } = await engine();
      await assert.rejects(distribution.resolvePull(`${registry.host}/me/private:1`, {}), /pull access denied for .*me\/private/);
      await assert.rejects(distribution.resolvePull(`${registry.host}/me/private:1`, { username: 'alice', password: 'nope' }), /refused the credentials: unauthorized: incorrect username or password/);
    });

    it('login and push with pull,push scope', async () => {
      const { distribution, images } = await engine();
      assert.equal((await distribution.login({ ...alice, serverAddress: registry.host })).Status, 'Login Succeeded');
      await pullAll(distribution, `${registry.host}/me/private:1`, alice);
      await images.tag(`${registry.host}/me/private:1`, `${registry.host}/me/second:1`);
      tokens.requests.length = 0;
      const result = await distribution.push(`${registry.host}/me/second:1`, alice, () => undefined);
      assert.equal(tokens.requests[0].scope, 'repository:me/second:pull,push');
      // the cross-repository mount needs pull on the source too: the registry's new challenge asks for both
      assert.ok(tokens.requests.some((r) => r.scope.split(' ').sort().join(' ') === 'repository:me/private:pull repository:me/second:pull,push'), JSON.stringify(tokens.requests));
      const skopeo = await run('skopeo', ['inspect', '--tls-verify=false', '--creds', `${alice.username}:${alice.password}`, `docker://${registry.host}/me/second:1`]);
      assert.equal((JSON.parse(skopeo.stdout) as { Digest: string }).Digest, result.digest);
    });
  });
});
