// renderCloudInit: the user-data a Multipass (or any cloud-init) Ubuntu VM boots with, installing online
// what the QEMU image bakes in offline: runc, iptables, a docker client, Node 20 and boxlab, then boxlabd as
// a systemd service on /run/boxlab/docker.sock with the busybox image baked. Multipass accepts only plain
// YAML user-data (no MIME multipart, no network: key), so this stays a single #cloud-config document.
// withDockerEngine is the `--engine docker` variant of ADR 0008: Ubuntu's docker.io keeps running (with
// the same daemon.json as the QEMU variant), boxlabd stays on /run/boxlab/docker.sock for the lab checks,
// and the student's shell has no DOCKER_HOST, so `docker` talks to dockerd.
import { readFileSync } from 'node:fs';
import { COMPOSE_PLUGIN, SYSTEM_PLUGIN_DIR } from './compose-stage.js';
import { DOCKERD_CONFIG } from './docker-engine-variant.js';

export interface CloudInitOptions {
  hostname: string;
  /** npm package spec or tarball URL to install boxlab from */
  boxlabPackage?: string;
  /** extra authorized key for the default user */
  sshAuthorizedKey?: string;
  /** also install Debian/Ubuntu's Docker engine (docker.io) for the Swarm/VXLAN chapters */
  withDockerEngine?: boolean;
  /** the `docker compose` plugin script (default vm-images/compose/docker-compose, ADR 0015) */
  composePlugin?: string;
}

const yamlString = (s: string): string => JSON.stringify(s);

export function renderCloudInit(o: CloudInitOptions): string {
  const pkg = o.boxlabPackage ?? 'boxlab';
  // docker-compose: Debian/Ubuntu's 1.29, which `docker compose` runs through the plugin written below
  const packages = ['runc', 'iptables', 'busybox-static', 'ca-certificates', 'curl', 'jq', 'docker.io', 'docker-compose'];
  const plugin = o.composePlugin ?? readFileSync(COMPOSE_PLUGIN, 'utf8');
  const lines = [
    '#cloud-config',
    '# boxlab sandbox, rendered by renderCloudInit (src/vm/images/cloud-init.ts); vm-images/cloud-init/boxlab.yaml is its default',
    `hostname: ${yamlString(o.hostname)}`,
    // boxlab writes the lab network's peers into /etc/hosts (vm create --network); cloud-init must not rewrite it at boot
    'manage_etc_hosts: false',
    'package_update: true',
    'packages:',
    ...packages.map((p) => `  - ${p}`),
  ];
  if (o.sshAuthorizedKey) lines.push('ssh_authorized_keys:', `  - ${yamlString(o.sshAuthorizedKey)}`);
  lines.push(
    'write_files:',
    '  - path: /etc/systemd/system/boxlabd.service',
    '    content: |',
    '      [Unit]',
    '      Description=boxlabd, the boxlab container engine (Docker API on /run/boxlab/docker.sock)',
    '      After=network-online.target',
    '      [Service]',
    '      ExecStart=/usr/bin/boxlab engine start --socket /run/boxlab/docker.sock --root /var/lib/boxlab',
    '      Restart=on-failure',
    '      [Install]',
    '      WantedBy=multi-user.target',
    '  - path: /etc/profile.d/boxlab.sh',
    '    content: |',
    o.withDockerEngine
      ? '      # docker talks to dockerd (/var/run/docker.sock); boxlabd: DOCKER_HOST=unix:///run/boxlab/docker.sock'
      : '      export DOCKER_HOST=unix:///run/boxlab/docker.sock',
    `  - path: ${SYSTEM_PLUGIN_DIR}/docker-compose`,
    "    permissions: '0755'",
    '    content: |',
    ...plugin.trimEnd().split('\n').map((l) => (l ? `      ${l}` : '')),
    // written before the packages install, so docker.io's first dockerd start already avoids boxlab0's 172.17/16
    ...(o.withDockerEngine ? ['  - path: /etc/docker/daemon.json', '    content: |', ...JSON.stringify(DOCKERD_CONFIG, null, 2).split('\n').map((l) => `      ${l}`)] : []),
    'runcmd:',
    // Ubuntu's docker.io starts dockerd; boxlab needs only its client unless the lab wants Debian's engine
    ...(o.withDockerEngine
      ? ['  - [usermod, -aG, docker, ubuntu]', '  - [systemctl, enable, --now, docker.service]']
      : ['  - [systemctl, disable, --now, docker.service, docker.socket]']),
    '  - [sh, -c, "curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs"]',
    `  - [npm, install, -g, ${yamlString(pkg)}]`,
    '  - [systemctl, daemon-reload]',
    '  - [systemctl, enable, --now, boxlabd.service]',
    '  - [sh, -c, "until [ -S /run/boxlab/docker.sock ]; do sleep 0.5; done; boxlab image bake busybox --socket /run/boxlab/docker.sock"]',
    '  - [touch, /run/boxlab/ready]',
  );
  return lines.join('\n') + '\n';
}
