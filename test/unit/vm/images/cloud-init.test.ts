// renderCloudInit: valid single-document YAML that Multipass accepts, installing what the QEMU image bakes in.
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { renderCloudInit } from '../../../../src/vm/images/cloud-init.js';
import { DOCKERD_CONFIG } from '../../../../src/vm/images/docker-engine-variant.js';

describe('renderCloudInit', () => {
  it('renders a #cloud-config with boxlabd as a service and the busybox image baked', () => {
    const text = renderCloudInit({ hostname: 'lab1' });
    assert.ok(text.startsWith('#cloud-config\n'));
    const doc = yaml.load(text) as Record<string, unknown>;
    assert.equal(doc.hostname, 'lab1');
    assert.ok((doc.packages as string[]).includes('runc'));
    const files = doc.write_files as Array<{ path: string; content: string }>;
    assert.match(files.find((f) => f.path === '/etc/systemd/system/boxlabd.service')!.content, /ExecStart=\/usr\/bin\/boxlab engine start --socket \/run\/boxlab\/docker.sock/);
    const cmds = (doc.runcmd as unknown[]).map((c) => JSON.stringify(c));
    assert.ok(cmds.some((c) => c.includes('image bake busybox')));
    assert.ok(cmds.some((c) => c.includes('disable')), 'docker.io dockerd is disabled unless asked for');
    assert.ok(!('network' in doc), 'multipass rejects network: in user-data');
  });

  it('installs docker-compose 1.29 and the `docker compose` plugin script, executable, byte for byte (ADR 0015)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { COMPOSE_PLUGIN } = await import('../../../../src/vm/images/compose-stage.js');
    const doc = yaml.load(renderCloudInit({ hostname: 'lab1' })) as Record<string, unknown>;
    assert.ok((doc.packages as string[]).includes('docker-compose'));
    const plugin = (doc.write_files as Array<{ path: string; content: string; permissions?: string }>).find((f) => f.path === '/usr/libexec/docker/cli-plugins/docker-compose')!;
    assert.equal(plugin.permissions, '0755');
    assert.equal(plugin.content, await readFile(COMPOSE_PLUGIN, 'utf8'));
  });

  it('--engine docker: docker.io runs with the qemu variant\'s daemon.json, boxlabd stays, the shell talks to dockerd', () => {
    const doc = yaml.load(renderCloudInit({ hostname: 'n1', withDockerEngine: true })) as Record<string, unknown>;
    assert.ok((doc.packages as string[]).includes('docker.io'));
    const files = doc.write_files as Array<{ path: string; content: string }>;
    assert.deepEqual(JSON.parse(files.find((f) => f.path === '/etc/docker/daemon.json')!.content), DOCKERD_CONFIG);
    assert.match(files.find((f) => f.path === '/etc/systemd/system/boxlabd.service')!.content, /--socket \/run\/boxlab\/docker.sock/);
    assert.doesNotMatch(files.find((f) => f.path === '/etc/profile.d/boxlab.sh')!.content, /export DOCKER_HOST/);
    const cmds = (doc.runcmd as unknown[]).map((c) => JSON.stringify(c));
    assert.ok(cmds.includes('["systemctl","enable","--now","docker.service"]'));
    assert.ok(cmds.includes('["usermod","-aG","docker","ubuntu"]'), 'the default user reaches dockerd without sudo');
    assert.ok(cmds.includes('["systemctl","enable","--now","boxlabd.service"]'));
    assert.equal(doc.manage_etc_hosts, false, 'the lab network block in /etc/hosts survives a reboot');
  });

  it('keeps Debian/Ubuntu dockerd for the swarm chapters, and quotes hostile values', () => {
    const doc = yaml.load(renderCloudInit({ hostname: 'a: b\n- c', withDockerEngine: true, sshAuthorizedKey: 'ssh-ed25519 AAA x' })) as Record<string, unknown>;
    assert.equal(doc.hostname, 'a: b\n- c');
    assert.deepEqual(doc.ssh_authorized_keys, ['ssh-ed25519 AAA x']);
    assert.ok(!(doc.runcmd as unknown[]).some((c) => JSON.stringify(c).includes('disable')));
  });
});

describe('vm-images/cloud-init/boxlab.yaml', () => {
  it('is the default rendering (regenerate: node -e "import(\'./dist/src/vm/images/cloud-init.js\').then(m => process.stdout.write(m.renderCloudInit({ hostname: \'boxlab\' })))")', async () => {
    const { readFile } = await import('node:fs/promises');
    const here = new URL(import.meta.url).pathname;
    const repo = here.slice(0, here.lastIndexOf('/dist/'));
    assert.equal(await readFile(`${repo}/vm-images/cloud-init/boxlab.yaml`, 'utf8'), renderCloudInit({ hostname: 'boxlab' }));
  });

  it('boxlab-docker.yaml is the --engine docker rendering (same command with withDockerEngine: true)', async () => {
    const { readFile } = await import('node:fs/promises');
    const here = new URL(import.meta.url).pathname;
    const repo = here.slice(0, here.lastIndexOf('/dist/'));
    assert.equal(await readFile(`${repo}/vm-images/cloud-init/boxlab-docker.yaml`, 'utf8'), renderCloudInit({ hostname: 'boxlab', withDockerEngine: true }));
  });
});
