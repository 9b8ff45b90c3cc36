import assert from 'node:assert/strict';
import { APP_RECIPES, appImageConfig, appRecipe } from '../../../../../src/engine/images/bake/app-recipes.js';

const BASE = { diffId: `sha256:${'b'.repeat(64)}`, mirror: 'http://deb.debian.org/debian' };
const APP = `sha256:${'a'.repeat(64)}`;
const config = (name: string) => JSON.parse(appImageConfig(appRecipe(name)!, BASE, APP, 'amd64').toString()) as {
  architecture: string;
  os: string;
  config: { Env: string[]; Cmd?: string[]; Entrypoint?: string[]; ExposedPorts?: object; WorkingDir?: string; StopSignal?: string };
  history: Array<{ created_by: string }>;
  rootfs: { type: string; diff_ids: string[] };
};

describe('app recipes', () => {
  it('has nginx, redis, httpd, python, network-tools and registry, each a set of Debian packages', () => {
    assert.deepEqual(APP_RECIPES.map((r) => r.name), ['nginx', 'redis', 'httpd', 'python', 'network-tools', 'registry']);
    for (const r of APP_RECIPES) assert.ok(r.packages.length > 0 && r.packages.every((p) => /^[a-z0-9][a-z0-9+.-]+$/.test(p)), r.name);
    assert.equal(appRecipe('alpine'), undefined);
  });

  it('puts the app layer on the shared base layer, with a history entry for each', () => {
    const c = config('redis');
    assert.deepEqual(c.rootfs, { type: 'layers', diff_ids: [BASE.diffId, APP] });
    assert.equal(c.history.length, 2);
    assert.match(c.history[0].created_by, /debootstrap --variant=minbase bookworm http:\/\/deb\.debian\.org\/debian/);
    assert.equal(c.history[1].created_by, 'boxlab image bake redis (apt-get install --no-install-recommends redis-server)');
    assert.equal(c.architecture, 'amd64');
    assert.equal(c.os, 'linux');
  });

  it('runs nginx in the foreground on port 80, as the official image does', () => {
    const c = config('nginx').config;
    assert.deepEqual(c.Cmd, ['nginx', '-g', 'daemon off;']);
    assert.deepEqual(c.ExposedPorts, { '80/tcp': {} });
    assert.equal(c.StopSignal, 'SIGQUIT');
    assert.deepEqual(c.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  });

  it('runs redis-server through an entrypoint that turns protected mode off, in /data on 6379', () => {
    const c = config('redis').config;
    assert.deepEqual([c.Entrypoint, c.Cmd, c.WorkingDir], [['docker-entrypoint.sh'], ['redis-server'], '/data']);
    assert.deepEqual(c.ExposedPorts, { '6379/tcp': {} });
    const script = appRecipe('redis')!.files![0];
    assert.equal(script.path, 'usr/local/bin/docker-entrypoint.sh');
    assert.match(script.content, /set -- redis-server --protected-mode no "\$@"/);
  });

  it('runs Apache (not busybox httpd) in the foreground on 80, serving /usr/local/apache2/htdocs', () => {
    const r = appRecipe('httpd')!;
    assert.deepEqual(r.packages, ['apache2']);
    assert.deepEqual(config('httpd').config.Cmd, ['httpd-foreground']);
    assert.deepEqual(config('httpd').config.ExposedPorts, { '80/tcp': {} });
    assert.match(r.files![0].content, /exec apache2 -DFOREGROUND "\$@"/);
    assert.deepEqual(r.symlinks!.find((l) => l.path === 'usr/local/apache2/htdocs'), { path: 'usr/local/apache2/htdocs', target: '/var/www/html' });
  });

  it("runs Debian's docker-registry as registry:2 does: on 5000, no auth, blobs in /var/lib/registry", () => {
    const r = appRecipe('registry')!;
    assert.deepEqual([r.packages, r.tags], [['docker-registry'], ['registry:latest', 'registry:2']]);
    assert.deepEqual(config('registry').config.Cmd, ['docker-registry', 'serve', '/etc/docker/registry/config.yml']);
    assert.deepEqual(config('registry').config.ExposedPorts, { '5000/tcp': {} });
    const yml = r.files!.find((f) => f.path === 'etc/docker/registry/config.yml')!.content;
    assert.match(yml, /addr: :5000/);
    assert.match(yml, /rootdirectory: \/var\/lib\/registry/);
    assert.doesNotMatch(yml, /htpasswd/, 'no password, like the official image');
  });

  it('gives python both python and python3, UTF-8 and pip', () => {
    const r = appRecipe('python')!;
    assert.ok(r.packages.includes('python-is-python3') && r.packages.includes('python3-pip'));
    assert.deepEqual(config('python').config.Cmd, ['python3']);
    assert.ok(config('python').config.Env.includes('LANG=C.UTF-8'));
  });

  it('tags the network tools image as the notes name it', () => {
    const r = appRecipe('network-tools')!;
    assert.equal(r.tags[0], 'lab/netshoot-lite:latest');
    for (const p of ['iputils-ping', 'curl', 'bind9-dnsutils', 'iproute2', 'iptables', 'tcpdump']) assert.ok(r.packages.includes(p), p);
  });

  it('gives the same config bytes for the same input (the image id is their sha256)', () => {
    assert.ok(appImageConfig(appRecipe('nginx')!, BASE, APP, 'amd64').equals(appImageConfig(appRecipe('nginx')!, BASE, APP, 'amd64')));
  });
});
