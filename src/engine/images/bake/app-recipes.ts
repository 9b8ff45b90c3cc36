// The lab images built on the Debian base: each is the base layer plus one layer made by
// `apt-get install --no-install-recommends <packages>` (see app-layer.ts), with the command, ports and
// working folder the official images on Docker Hub have, so the notes' commands work unchanged:
//   nginx          nginx -g 'daemon off;' on 80, logs to stdout/stderr (Debian's nginx 1.22)
//   redis          redis-server on 6379, protected mode off as in the official image, WorkingDir /data
//   httpd          Apache (Debian's apache2, not busybox httpd) in the foreground on 80 via httpd-foreground
//   python         python and python3 (3.11) with pip, usable without a venv like the official image
//   network-tools  ping, curl, dig/nslookup, ip, ss, iptables, tcpdump, nc, traceroute (lab/netshoot-lite)
//   registry       Debian's docker-registry (Distribution 2.8, the program of registry:2) on 5000, no auth,
//                  blobs in /var/lib/registry: what `docker run -d -p 5000:5000 registry:2` starts
// This module is data and a pure config builder; the recipe data is hashed into the bake cache key, so
// any change here rebuilds the layer.
import { hostArchitecture } from '../image-config.js';
import { BAKE_EPOCH, DEFAULT_PATH_ENV } from './busybox-recipe.js';
import { debianHistory } from './debian-recipe.js';

export interface RecipeFile {
  path: string;
  mode: number;
  content: string;
}

export interface ImageRuntimeConfig {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  ExposedPorts?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  StopSignal?: string;
}

export interface AppRecipe {
  name: string;
  /** familiar names, as the notes write them */
  tags: string[];
  packages: string[];
  /** written after the install (and after trimming), paths relative to the root */
  files?: RecipeFile[];
  symlinks?: Array<{ path: string; target: string }>;
  dirs?: string[];
  /** files the install created that the image should not have */
  remove?: string[];
  config: ImageRuntimeConfig;
}

const REDIS_ENTRYPOINT = `#!/bin/sh
# Like the official redis image: "docker run redis --appendonly yes" means redis-server --appendonly yes,
# and a server started without a config file has protected mode off, since a container is reached from
# other addresses than loopback (a published port, another container). A later --protected-mode wins.
set -e
case "$1" in -*) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  case "$2" in
    *.conf) ;;
    *) shift; set -- redis-server --protected-mode no "$@" ;;
  esac
fi
exec "$@"
`;

const HTTPD_FOREGROUND = `#!/bin/sh
# Like the official httpd image's httpd-foreground: Apache as the container's main process (exec, so
# docker stop's signal reaches it). Debian's apache2 reads its paths from /etc/apache2/envvars.
set -e
. /etc/apache2/envvars
# /var/lock points into /run, which the slim base keeps empty
mkdir -p /run/lock "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"
rm -f "$APACHE_PID_FILE"
exec apache2 -DFOREGROUND "$@"
`;

// Like the official registry:2 image's config: plain HTTP on 5000, no authentication (Debian's own config,
// made for a system service, asks for htpasswd), blobs under /var/lib/registry, deletes off
const REGISTRY_CONFIG = `version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
`;

export const APP_RECIPES: readonly AppRecipe[] = [
  {
    name: 'nginx',
    tags: ['nginx:latest'],
    packages: ['nginx'],
    // docker logs shows the access log, as with the official image
    symlinks: [
      { path: 'var/log/nginx/access.log', target: '/dev/stdout' },
      { path: 'var/log/nginx/error.log', target: '/dev/stderr' },
    ],
    config: { Cmd: ['nginx', '-g', 'daemon off;'], ExposedPorts: { '80/tcp': {} }, StopSignal: 'SIGQUIT' },
  },
  {
    name: 'redis',
    tags: ['redis:latest'],
    packages: ['redis-server'],
    files: [{ path: 'usr/local/bin/docker-entrypoint.sh', mode: 0o755, content: REDIS_ENTRYPOINT }],
    dirs: ['data'],
    config: { Entrypoint: ['docker-entrypoint.sh'], Cmd: ['redis-server'], ExposedPorts: { '6379/tcp': {} }, WorkingDir: '/data' },
  },
  {
    name: 'httpd',
    tags: ['httpd:latest', 'httpd:2', 'httpd:2.4'],
    packages: ['apache2'],
    files: [{ path: 'usr/local/bin/httpd-foreground', mode: 0o755, content: HTTPD_FOREGROUND }],
    dirs: ['usr/local/apache2'],
    symlinks: [
      // the official image serves /usr/local/apache2/htdocs: the notes' -v .../htdocs mounts land in Debian's DocumentRoot
      { path: 'usr/local/apache2/htdocs', target: '/var/www/html' },
      { path: 'var/log/apache2/access.log', target: '/dev/stdout' },
      { path: 'var/log/apache2/other_vhosts_access.log', target: '/dev/stdout' },
      { path: 'var/log/apache2/error.log', target: '/dev/stderr' },
    ],
    config: { Cmd: ['httpd-foreground'], ExposedPorts: { '80/tcp': {} }, WorkingDir: '/usr/local/apache2', StopSignal: 'SIGWINCH' },
  },
  {
    name: 'python',
    tags: ['python:latest', 'python:3', 'python:3.11'],
    packages: ['python3', 'python-is-python3', 'python3-pip'],
    // the official image lets `pip install` write to the system site-packages (Debian's PEP 668 marker forbids it)
    remove: ['usr/lib/python3.11/EXTERNALLY-MANAGED'],
    config: { Env: ['LANG=C.UTF-8'], Cmd: ['python3'] },
  },
  {
    name: 'network-tools',
    tags: ['lab/netshoot-lite:latest', 'network-tools:latest'],
    packages: ['iputils-ping', 'curl', 'ca-certificates', 'bind9-dnsutils', 'iproute2', 'iptables', 'tcpdump', 'netcat-openbsd', 'traceroute', 'procps'],
    config: { Cmd: ['bash'] },
  },
  {
    name: 'registry',
    tags: ['registry:latest', 'registry:2'],
    packages: ['docker-registry'],
    files: [{ path: 'etc/docker/registry/config.yml', mode: 0o644, content: REGISTRY_CONFIG }],
    dirs: ['var/lib/registry'],
    config: { Cmd: ['docker-registry', 'serve', '/etc/docker/registry/config.yml'], ExposedPorts: { '5000/tcp': {} } },
  },
];

export function appRecipe(name: string): AppRecipe | undefined {
  return APP_RECIPES.find((r) => r.name === name);
}

/** the image config of an app image (pure): the base's history entry, then the install's */
export function appImageConfig(
  recipe: AppRecipe,
  base: { diffId: string; mirror: string },
  appDiffId: string,
  architecture = hostArchitecture(),
): Buffer {
  const created = BAKE_EPOCH.toISOString();
  const { Env = [], ...rest } = recipe.config;
  return Buffer.from(
    JSON.stringify({
      architecture,
      config: { Env: [DEFAULT_PATH_ENV, ...Env], ...rest },
      created,
      history: [
        debianHistory(base.mirror),
        { created, created_by: `boxlab image bake ${recipe.name} (apt-get install --no-install-recommends ${recipe.packages.join(' ')})` },
      ],
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [base.diffId, appDiffId] },
    }),
  );
}
