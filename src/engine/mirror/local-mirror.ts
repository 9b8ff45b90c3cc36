// `boxlab mirror start|stop|status`: a local registry (Debian's docker-registry) in a folder of ours,
// seeded with the baked images under Docker Hub's names (library/busybox, library/nginx, lab/netshoot-lite,
// ...: by default busybox and every image whose layers are in the bake cache), so that an engine with
// `registry-mirrors: ["http://127.0.0.1:5000"]` (/etc/boxlab/daemon.json, or --registry-mirror) serves
// `docker pull busybox` with no internet. Names the mirror lacks fall through to Docker Hub when online.
// The registry runs detached; its pid is in <dir>/registry.pid, and stop checks that pid still is a
// docker-registry before signalling it.
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { failedPrecondition, unavailable } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { bakedRecipes, bakeImages, checkRecipes, recipeTags } from '../images/bake/bake-service.js';
import { parseReference, withDefaultTag } from '../images/reference.js';
import { buildRegistryConfig, DEFAULT_MIRROR_ADDRESS, DEFAULT_MIRROR_DIR } from './mirror-config.js';

export interface MirrorStatus {
  running: boolean;
  pid?: number;
  url: string;
  dir: string;
  repositories: string[];
}

export interface MirrorStartOptions {
  addr?: string;
  /** bake recipes to push into the mirror under their tags' docker.io paths (default: bakedRecipes(): busybox and what the bake cache holds) */
  seed?: string[];
  progress?: (line: string) => void;
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', () => resolve({ status: 0, body: undefined }));
    req.on('timeout', () => {
      req.destroy();
      resolve({ status: 0, body: undefined });
    });
  });
}

function isRegistryProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith('docker-registry'));
  } catch {
    return false;
  }
}

export class LocalMirror {
  constructor(readonly dir: string = DEFAULT_MIRROR_DIR) {}

  private get pidFile(): string {
    return path.join(this.dir, 'registry.pid');
  }

  private async readState(): Promise<{ pid: number; addr: string } | undefined> {
    try {
      const state = JSON.parse(await fs.readFile(this.pidFile, 'utf8')) as { pid: number; addr: string };
      return isRegistryProcess(state.pid) ? state : undefined;
    } catch {
      return undefined;
    }
  }

  async status(): Promise<MirrorStatus> {
    const state = await this.readState();
    const url = `http://${state?.addr ?? DEFAULT_MIRROR_ADDRESS}`;
    if (!state) return { running: false, url, dir: this.dir, repositories: [] };
    const catalog = await getJson(`${url}/v2/_catalog`);
    const repositories = ((catalog.body as { repositories?: string[] } | undefined)?.repositories ?? []).sort();
    return { running: true, pid: state.pid, url, dir: this.dir, repositories };
  }

  /** starts the registry (idempotent), then pushes the seed images it lacks */
  async start(options: MirrorStartOptions = {}): Promise<MirrorStatus> {
    const progress = options.progress ?? (() => undefined);
    let state = await this.readState();
    if (state && options.addr && state.addr !== options.addr) {
      throw failedPrecondition(`the mirror in ${this.dir} already runs on ${state.addr}`, { suggestions: ['stop it first: boxlab mirror stop'] });
    }
    if (!state) {
      const addr = options.addr ?? DEFAULT_MIRROR_ADDRESS;
      await fs.mkdir(path.join(this.dir, 'data'), { recursive: true });
      const config = path.join(this.dir, 'config.yml');
      await fs.writeFile(config, buildRegistryConfig({ dataDir: path.join(this.dir, 'data'), addr }));
      const log = await fs.open(path.join(this.dir, 'registry.log'), 'a');
      const child = spawn('docker-registry', ['serve', config], { detached: true, stdio: ['ignore', log.fd, log.fd] });
      await log.close();
      child.unref();
      if (child.pid === undefined) throw unavailable('could not start docker-registry', { suggestions: ['install it: apt-get install docker-registry'] });
      state = { pid: child.pid, addr };
      await fs.writeFile(this.pidFile, JSON.stringify(state));
      const deadline = Date.now() + 10_000;
      while ((await getJson(`http://${addr}/v2/`)).status !== 200) {
        if (child.exitCode !== null || !isRegistryProcess(child.pid) || Date.now() > deadline) {
          await fs.rm(this.pidFile, { force: true });
          const tail = (await fs.readFile(path.join(this.dir, 'registry.log'), 'utf8').catch(() => '')).split('\n').slice(-5).join('\n');
          throw unavailable(`docker-registry did not start on ${addr}: ${tail}`, { suggestions: ['is the port in use? choose another with --addr 127.0.0.1:5001'] });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      progress(`registry listening on http://${addr} (data in ${path.join(this.dir, 'data')})`);
    }
    const seed = options.seed ? checkRecipes(options.seed) : await bakedRecipes();
    for (const name of seed) {
      // each tag goes to its docker.io path: nginx:latest -> library/nginx:latest, lab/netshoot-lite -> lab/netshoot-lite
      const targets = recipeTags(name).map((t) => withDefaultTag(parseReference(t)));
      const missing: typeof targets = [];
      for (const t of targets) if (!(await this.hasTag(state.addr, t.path, t.tag!))) missing.push(t);
      if (missing.length === 0) continue;
      const tar = path.join(this.dir, `seed-${name}.tar`);
      try {
        progress(`baking ${name}`);
        await bakeImages({ names: [name], output: tar, progress });
        for (const t of missing) {
          await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `docker-archive:${tar}`, `docker://${state.addr}/${t.path}:${t.tag}`], { timeout: 600_000 });
          progress(`pushed ${name} as ${t.path}:${t.tag}`);
        }
      } finally {
        await fs.rm(tar, { force: true });
      }
    }
    return this.status();
  }

  private async hasTag(addr: string, repository: string, tag: string): Promise<boolean> {
    const res = await getJson(`http://${addr}/v2/${repository}/tags/list`);
    return res.status === 200 && ((res.body as { tags?: string[] | null } | undefined)?.tags ?? []).includes(tag);
  }

  async stop(): Promise<MirrorStatus> {
    const state = await this.readState();
    if (state) {
      process.kill(state.pid, 'SIGTERM');
      const deadline = Date.now() + 10_000;
      while (isRegistryProcess(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    await fs.rm(this.pidFile, { force: true });
    return this.status();
  }
}
