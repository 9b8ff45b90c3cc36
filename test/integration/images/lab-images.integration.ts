import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const LAB_IMAGES = ['nginx', 'redis', 'httpd', 'python', 'network-tools', 'registry'];

/** GET / from inside the container with bash's /dev/tcp (the Debian-based images have no wget) */
const HTTP_GET = 'exec 3<>/dev/tcp/127.0.0.1/80 && printf "GET / HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n" >&3 && cat <&3';

// The first run bakes the debian base (debootstrap, ~1.5 min) and the five app layers (~1.5 min) into
// ~/.cache/boxlab/bake (or $BOXLAB_BAKE_CACHE); later runs reuse them and take well under a minute.
describe('baked lab images with the docker CLI against boxlabd (root, runc, debootstrap)', function () {
  this.timeout(10 * 60_000);
  const engine = useEngine({ busybox: false, needs: ['debootstrap'], removeAfterEach: 'containers' });

  before(async function () {
    const bake = await run(process.execPath, [path.join(REPO, 'bin/run.js'), 'image', 'bake', ...LAB_IMAGES, '--socket', engine.socketPath], {
      timeout: 15 * 60_000,
      allowFailure: true,
    });
    assert.equal(bake.exitCode, 0, `boxlab image bake: ${bake.stderr}\n${bake.stdout}`);
    assert.match(bake.stdout, /Loaded image: nginx:latest/);
    assert.match(bake.stdout, /Loaded image: lab\/netshoot-lite:latest/);
  });

  /** runs `docker exec <name> bash -c <script>` until it succeeds: the service needs a moment to listen */
  async function execUntil(name: string, args: string[], accept: (out: string) => boolean): Promise<string> {
    let last = '';
    for (let i = 0; i < 50; i++) {
      const res = await engine.docker(['exec', name, ...args]);
      last = `${res.stdout}${res.stderr}`;
      if (res.exitCode === 0 && accept(res.stdout)) return res.stdout;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`docker exec ${name} ${args.join(' ')} never answered as expected; last: ${last}\nlogs: ${(await engine.docker(['logs', name])).stderr}`);
  }

  it('lists the images under the names the notes use, all on one shared debian base layer', async () => {
    const repos = (await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').sort();
    for (const name of ['nginx:latest', 'redis:latest', 'httpd:latest', 'httpd:2', 'python:latest', 'python:3', 'lab/netshoot-lite:latest', 'network-tools:latest']) {
      assert.ok(repos.includes(name), `${name} in ${repos.join(' ')}`);
    }
    const layers = JSON.parse(await engine.dockerOk(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', 'nginx'])) as string[];
    assert.equal(layers.length, 2);
    for (const other of ['redis', 'httpd', 'python', 'lab/netshoot-lite']) {
      const theirs = JSON.parse(await engine.dockerOk(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', other])) as string[];
      assert.equal(theirs[0], layers[0], `${other} shares the base layer`);
    }
    const history = await engine.dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'nginx']);
    assert.match(history, /apt-get install --no-install-recommends nginx/);
    assert.match(history, /debootstrap --variant=minbase bookworm/);
  });

  it('nginx serves its default page on 80 in the foreground and logs requests to docker logs', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lab-nginx', 'nginx']);
    const page = await execUntil('lab-nginx', ['bash', '-c', HTTP_GET], (out) => out.includes('200 OK'));
    assert.match(page, /Welcome to nginx!/);
    const logs = await engine.docker(['logs', 'lab-nginx']);
    assert.match(logs.stdout, /"GET \/ HTTP\/1.0" 200/);
  });

  it('redis-server answers PONG on 6379 with protected mode off, and passes flags through the entrypoint', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lab-redis', 'redis']);
    assert.equal((await execUntil('lab-redis', ['redis-cli', 'ping'], (out) => out.trim() === 'PONG')).trim(), 'PONG');
    assert.equal(await engine.dockerOk(['exec', 'lab-redis', 'redis-cli', '--raw', 'config', 'get', 'protected-mode']), 'protected-mode\nno');
    assert.equal(await engine.dockerOk(['exec', 'lab-redis', 'pwd']), '/data');
    await engine.dockerOk(['run', '-d', '--name', 'lab-redis-aof', 'redis', '--appendonly', 'yes']);
    await execUntil('lab-redis-aof', ['redis-cli', 'ping'], (out) => out.trim() === 'PONG');
    assert.equal(await engine.dockerOk(['exec', 'lab-redis-aof', 'redis-cli', '--raw', 'config', 'get', 'appendonly']), 'appendonly\nyes');
  });

  it('httpd is Apache in the foreground on 80 ("It works!") and stops on docker stop at once', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'lab-httpd', 'httpd']);
    const page = await execUntil('lab-httpd', ['bash', '-c', HTTP_GET], (out) => out.includes('200 OK'));
    assert.match(page, /Server: Apache\/2\.4/);
    assert.match(page, /It works!/);
    const started = Date.now();
    await engine.dockerOk(['stop', 'lab-httpd']);
    assert.ok(Date.now() - started < 8000, 'apache stops on SIGWINCH without waiting for the kill timeout');
  });

  it('python has python and python3 (3.11) and pip', async () => {
    assert.equal(await engine.dockerOk(['run', '--rm', 'python', 'python', '-c', 'print(1+1)']), '2');
    assert.match(await engine.dockerOk(['run', '--rm', 'python:3', 'python3', '--version']), /^Python 3\.11\./);
    assert.match(await engine.dockerOk(['run', '--rm', 'python', 'pip', '--version']), /^pip \d+/);
  });

  it('registry:2 is a registry on 5000 that docker push and pull use, with no password', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'reg', '-p', '127.0.0.1::5000', 'registry:2']);
    const port = (await engine.dockerOk(['port', 'reg', '5000'])).split(':').pop();
    const at = `127.0.0.1:${port}`;
    const catalog = async () => (await run('curl', ['-fsS', `http://${at}/v2/_catalog`], { allowFailure: true })).stdout;
    for (let i = 0; i < 50 && !(await catalog()); i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal((await catalog()).trim(), '{"repositories":[]}');
    await engine.dockerOk(['tag', 'registry:2', `${at}/lab/registry:copy`]);
    await engine.dockerOk(['push', `${at}/lab/registry:copy`]);
    assert.equal((await catalog()).trim(), '{"repositories":["lab/registry"]}');
    await engine.dockerOk(['rmi', `${at}/lab/registry:copy`]);
    await engine.dockerOk(['pull', `${at}/lab/registry:copy`]);
    assert.equal(await engine.dockerOk(['image', 'inspect', '-f', '{{.Id}}', `${at}/lab/registry:copy`]), await engine.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'registry:2']));
  });

  it('lab/netshoot-lite has ping, curl, dig, nslookup, ip, ss, iptables, tcpdump and nc', async () => {
    const out = await engine.dockerOk([
      'run', '--rm', 'lab/netshoot-lite', 'bash', '-c',
      'for t in ping curl dig nslookup ip ss iptables tcpdump nc traceroute; do command -v $t; done; ip -o link show lo; iptables --version; curl --version | head -1',
    ]);
    for (const tool of ['ping', 'curl', 'dig', 'nslookup', 'ip', 'ss', 'iptables', 'tcpdump', 'nc', 'traceroute']) assert.match(out, new RegExp(`/${tool}\\n`), tool);
    assert.match(out, /\d+: lo: /);
    assert.match(out, /iptables v1\.8/);
    assert.match(out, /^curl 7\.88/m);
  });
});
