// `docker commit`: a container's changes become an image. The container's overlay upper dir holds
// everything it wrote (whiteouts for what it deleted); that folder, as a tar, is the new layer on top of
// the container's image. --change applies Dockerfile config instructions (CMD, ENV, ...) to the config.
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { invalidArgument } from '../../core/errors.js';
import type { EnginePaths } from '../../core/paths.js';
import type { ContainerConfig } from '../docker-model.js';
import type { ContainerService } from '../containers/container-service.js';
import { INIT_LAYER_PATHS } from '../containers/rootfs-access.js';
import type { Tracer } from '../trace/tracer.js';
import { applyConfigInstruction } from './config-instructions.js';
import { writeDirLayer } from './dir-layer.js';
import { commitImage, type BuildImageStore } from './image-commit.js';
import { instructionFromNode } from './instruction.js';
import { parseDockerfile } from './parser/dockerfile-parser.js';
import { ShellLex } from './shell/shell-lex.js';

export interface CommitOptions {
  container: string;
  /** "name" or "name:tag"; empty for an untagged image */
  reference?: string;
  comment?: string;
  author?: string;
  /** Dockerfile instructions, e.g. ["CMD [\"sh\"]", "ENV A=b"] */
  changes: string[];
  /** a config sent in the body: its set fields override the container's */
  config?: ContainerConfig;
}

const CHANGEABLE = new Set(['cmd', 'entrypoint', 'env', 'expose', 'label', 'onbuild', 'user', 'volume', 'workdir', 'stopsignal', 'healthcheck', 'shell']);

/** the image config a commit writes: the container's run config, the body's fields, then --change */
export function commitConfig(containerConfig: ContainerConfig, body: ContainerConfig | undefined, changes: readonly string[]): ContainerConfig {
  const { Hostname: _h, Domainname: _d, Image: _i, AttachStdin: _a, AttachStdout: _o, AttachStderr: _e, OpenStdin: _s, StdinOnce: _so, Tty: _t, ...rest } = containerConfig;
  const config: ContainerConfig = { ...rest };
  for (const [k, v] of Object.entries(body ?? {})) {
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== '') (config as Record<string, unknown>)[k] = v;
  }
  const lex = new ShellLex();
  for (const change of changes) {
    if (change.trim() === '') continue;
    const node = parseDockerfile(change, '--change').ast.children[0]!;
    const ins = instructionFromNode(node, '--change');
    if (!CHANGEABLE.has(ins.cmd)) throw invalidArgument(`${ins.cmd} is not a valid change command`, { suggestions: ['--change takes CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR'] });
    const env = new Map((config.Env ?? []).map((kv) => [kv.split('=')[0]!, kv.slice(kv.indexOf('=') + 1)]));
    applyConfigInstruction(config, ins, (w) => lex.processWord(w, env));
  }
  return config;
}

export async function commitContainer(
  deps: { paths: EnginePaths; images: BuildImageStore; containers: ContainerService; tracer?: Tracer },
  options: CommitOptions,
): Promise<string> {
  const inspect = (await deps.containers.inspect(options.container)) as {
    Id: string;
    Image: string;
    Config: ContainerConfig;
    GraphDriver?: { Data?: { UpperDir?: string } };
  };
  const upper = inspect.GraphDriver?.Data?.UpperDir;
  if (!upper) throw invalidArgument(`container ${options.container} has no writable layer to commit`);
  const parent = await deps.images.resolve(inspect.Image);
  const config = commitConfig(inspect.Config, options.config, options.changes);
  const file = path.join(deps.paths.tmp, `commit-${randomBytes(6).toString('hex')}.tar`);
  await fs.mkdir(deps.paths.tmp, { recursive: true });
  try {
    const layer = await writeDirLayer(upper, file, { lowerDirs: deps.images.layerDirs(parent), exclude: INIT_LAYER_PATHS.map((p) => p.slice(1)) });
    const image = await commitImage(deps.images, {
      parent,
      config,
      layer,
      author: options.author,
      history: { created_by: (inspect.Config.Cmd ?? []).join(' '), ...(options.comment ? { comment: options.comment } : {}), ...(options.author ? { author: options.author } : {}) },
    });
    if (options.reference) await deps.images.tag(image.id, options.reference);
    deps.tracer?.emit(image.id, 'build.commit', { container: inspect.Id.slice(0, 12), imageId: image.id, upperdir: upper, layerSize: layer.size });
    return image.id;
  } finally {
    await fs.rm(file, { force: true });
  }
}
