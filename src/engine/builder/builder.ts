// The classic builder: runs a Dockerfile the way `docker build` did before BuildKit, one instruction at a
// time. Each step starts from the previous step's image and commits a new one: RUN runs a container and
// keeps its overlay upper dir as a layer; COPY/ADD stage files as a layer; the other instructions only
// change the image config (an "empty layer" in the history). Before running a step the build cache is
// asked for an image made from the same parent by the same instruction (and the same file checksums).
// Stages (FROM ... AS name) build in order; the last one (or --target) is the result.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError, invalidArgument, isAppError, messageOf, unavailable } from '../../core/errors.js';
import { run } from '../../core/exec.js';
import { writeJsonAtomic } from '../../core/atomic-file.js';
import { readFileInRoot, resolveInRoot } from '../../core/scoped-path.js';
import type { EnginePaths } from '../../core/paths.js';
import type { ContainerConfig } from '../docker-model.js';
import type { ContainerService } from '../containers/container-service.js';
import { INIT_LAYER_PATHS } from '../containers/rootfs-access.js';
import type { ImageRecord } from '../images/image-record.js';
import type { Tracer } from '../trace/tracer.js';
import { BuildCache } from './build-cache.js';
import { applyConfigInstruction, DEFAULT_SHELL } from './config-instructions.js';
import { isIgnored, type BuildContext } from './build-context.js';
import type { BuildMessage, BuildOptions, BuildRecord, BuildStepRecord } from './build-options.js';
import { relInRoot, resolveSources, sourcesChecksum } from './copy-sources.js';
import { writeDirLayer, type LayerFile } from './dir-layer.js';
import { RootWriter, untarFileInRoot } from './root-writer.js';
import { commitImage, type BuildImageStore } from './image-commit.js';
import { lookupInLayers, resolveChown, resolveInLayers } from './image-fs.js';
import { instructionFromNode, type Instruction } from './instruction.js';
import { parseDockerfile } from './parser/dockerfile-parser.js';
import { runStep } from './run-step.js';
import { ShellLex } from './shell/shell-lex.js';
import { planStages, stepCount, type Stage } from './stage-plan.js';

export interface BuilderDeps {
  paths: EnginePaths;
  images: BuildImageStore;
  containers: ContainerService;
  tracer?: Tracer;
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** a build step failed: the message names the Dockerfile line; code is the exit code the CLI exits with */
export class BuildError extends AppError {
  constructor(message: string, readonly exitCode = 1) {
    super('INVALID_ARGUMENT', message);
  }
}

interface StageState {
  stage: Stage;
  image?: ImageRecord;
  config: ContainerConfig;
  /** ARGs declared in this stage, with their values */
  args: Map<string, string>;
}

function envMap(list: readonly string[] | null | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of list ?? []) {
    const i = kv.indexOf('=');
    m.set(i < 0 ? kv : kv.slice(0, i), i < 0 ? '' : kv.slice(i + 1));
  }
  return m;
}

const ARCHIVE_MAGIC = (b: Buffer) =>
  (b[0] === 0x1f && b[1] === 0x8b) || b.subarray(257, 262).toString('latin1') === 'ustar';

export class Builder {
  private readonly cache: BuildCache;

  constructor(private readonly deps: BuilderDeps) {
    this.cache = new BuildCache(path.join(deps.paths.root, 'build'));
  }

  /** runs a build; messages go to out as the CLI's JSON stream; returns the final image id */
  async build(context: BuildContext, options: BuildOptions, out: (m: BuildMessage) => void): Promise<string> {
    const work = path.join(this.deps.paths.tmp, `build-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(work, { recursive: true });
    const print = (text: string) => {
      if (!options.quiet) out({ stream: text });
    };
    this.noCache = options.noCache;
    this.removeAfterStep = options.rm || options.forceRm;
    this.kept = [];
    if (options.pull) print('[Warning] --pull is ignored: boxlab builds offline and uses the images it has\n');
    let ok = false;
    try {
      const id = await this.buildIn(context, options, work, print, out);
      ok = true;
      return id;
    } finally {
      // classic builder semantics: --rm removes intermediate containers after a successful build,
      // --force-rm always; otherwise a failed step's container stays for `docker logs`/`docker commit`
      if (options.forceRm || (options.rm && ok)) await this.removeKept(print);
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** --rm/--force-rm of the build under way: remove each RUN container as soon as its step succeeded */
  private removeAfterStep = true;
  /** intermediate containers not removed yet (a failed step's, or every step's without --rm) */
  private kept: string[] = [];

  private async removeKept(print: (t: string) => void): Promise<void> {
    for (const id of this.kept.splice(0)) {
      await this.deps.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
      print(`Removing intermediate container ${short(id)}\n`);
    }
  }

  private async buildIn(context: BuildContext, options: BuildOptions, work: string, print: (t: string) => void, out: (m: BuildMessage) => void): Promise<string> {
    const dockerfileRel = relInRoot(options.dockerfile || 'Dockerfile', 'the Dockerfile');
    // read inside the context: a Dockerfile that is a symlink resolves there, never to a host file
    const text = await readFileInRoot(context.dir, dockerfileRel).catch(() => undefined);
    if (text === undefined) {
      throw invalidArgument(`Cannot locate specified Dockerfile: ${options.dockerfile || 'Dockerfile'}`, {
        suggestions: ['give its path inside the context with -f, e.g. docker build -f docker/Dockerfile .'],
      });
    }
    const file = path.posix.basename(dockerfileRel);
    const parsed = parseDockerfile(text, file);
    for (const w of parsed.warnings) print(w + '\n');
    const instructions = parsed.ast.children.map((n) => instructionFromNode(n, file));
    const plan = planStages(instructions, options.target, file);
    const total = stepCount(plan);
    const buildArgs = new Map(Object.entries(options.buildArgs).filter((e): e is [string, string] => e[1] !== null));
    const usedArgs = new Set<string>();
    const lex = new ShellLex({ escapeToken: parsed.escapeToken });
    const steps: BuildStepRecord[] = [];
    let n = 0;

    // ARGs before the first FROM: only FROM lines can use them
    const meta = new Map<string, string>();
    for (const ins of plan.metaArgs) {
      n++;
      print(`Step ${n}/${total} : ${ins.original}\n`);
      for (const word of ins.args) {
        const [k, v] = this.argWord(word, lex, meta);
        usedArgs.add(k);
        meta.set(k, buildArgs.get(k) ?? v ?? meta.get(k) ?? '');
      }
    }

    const finished: StageState[] = [];
    let last: StageState | undefined;
    for (const stage of plan.stages) {
      n++;
      const t0 = Date.now();
      print(`Step ${n}/${total} : ${stage.from.original}\n`);
      const state = await this.from(stage, finished, lex, meta, file);
      print(` ---> ${state.image ? short(state.image.id) : 'scratch'}\n`);
      steps.push({ step: n, total, stage: stage.name ?? String(stage.index), instruction: stage.from.original, cached: true, imageId: state.image?.id ?? '', seconds: (Date.now() - t0) / 1000 });
      const triggers = state.config.OnBuild ?? [];
      if (triggers.length > 0) {
        print(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
        state.config.OnBuild = [];
        for (const trigger of triggers) {
          const ins = instructionFromNode(parseDockerfile(trigger, `ONBUILD in ${stage.from.args[0]}`).ast.children[0]!, file);
          const rec = await this.step(state, { ...ins, line: stage.from.line }, context, work, lex, buildArgs, usedArgs, meta, finished, print, file);
          steps.push({ ...rec, step: n, total, stage: stage.name ?? String(stage.index), instruction: `ONBUILD ${ins.original}` });
        }
      }
      for (const ins of stage.body) {
        n++;
        print(`Step ${n}/${total} : ${ins.original}\n`);
        const rec = await this.step(state, ins, context, work, lex, buildArgs, usedArgs, meta, finished, print, file);
        steps.push({ ...rec, step: n, total, stage: stage.name ?? String(stage.index), instruction: ins.original });
      }
      finished.push(state);
      last = state;
    }
    const unused = [...buildArgs.keys()].filter((k) => !usedArgs.has(k));
    if (unused.length > 0) print(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);

    let final = last!;
    if (Object.keys(options.labels).length > 0) {
      const config = structuredClone(final.config);
      config.Labels = { ...(config.Labels ?? {}), ...options.labels };
      const image = await commitImage(this.deps.images, { parent: final.image, config, history: { created_by: `/bin/sh -c #(nop)  LABEL ${Object.entries(options.labels).map(([k, v]) => `${k}=${v}`).join(' ')}` } });
      final = { ...final, image, config: image.config };
    }
    if (!final.image) {
      // FROM scratch and nothing else: an empty image
      final.image = await commitImage(this.deps.images, { config: final.config, history: { created_by: '/bin/sh -c #(nop) FROM scratch' } });
    }
    const imageId = final.image.id;
    out({ aux: { ID: imageId } });
    print(`Successfully built ${short(imageId)}\n`);
    if (options.tags.length > 0) {
      for (const tag of options.tags) await this.deps.images.tag(imageId, tag);
      // the tags are this image's now: one read of its record (by id) names them all
      const repoTags = (await this.deps.images.resolve(imageId)).repoTags;
      for (const tag of options.tags) {
        const named = repoTags.find((t) => t === tag || t === `${tag}:latest` || t.endsWith(`/${tag}`)) ?? tag;
        print(`Successfully tagged ${named}\n`);
      }
    }
    await this.record({ imageId, tags: options.tags, dockerfile: options.dockerfile || 'Dockerfile', target: options.target, finished: new Date().toISOString(), steps });
    return imageId;
  }

  /** keeps what `boxlab explain build` shows, and tells the trace */
  private async record(rec: BuildRecord): Promise<void> {
    await writeJsonAtomic(buildRecordFile(this.deps.paths, rec.imageId), rec);
    for (const s of rec.steps) {
      this.deps.tracer?.emit(rec.imageId, 'build.step', {
        step: `${s.step}/${s.total}`,
        instruction: s.instruction,
        cached: s.cached,
        imageId: s.imageId,
        ...(s.layer ? { layerSize: s.layer.size, diffId: s.layer.diffId } : {}),
        ...(s.checksum ? { checksum: s.checksum } : {}),
      });
    }
  }

  private argWord(word: string, lex: ShellLex, env: Map<string, string>): [string, string | undefined] {
    const eq = word.indexOf('=');
    if (eq < 0) return [word, undefined];
    return [word.slice(0, eq), lex.processWord(word.slice(eq + 1), env)];
  }

  private async from(stage: Stage, finished: StageState[], lex: ShellLex, meta: Map<string, string>, file: string): Promise<StageState> {
    const ref = lex.processWord(stage.from.args[0]!, meta);
    const fromStage = finished.find((s) => s.stage.name === ref.toLowerCase());
    if (fromStage) return { stage, image: fromStage.image, config: structuredClone(fromStage.config), args: new Map() };
    if (ref === 'scratch') return { stage, config: {}, args: new Map() };
    try {
      const image = await this.deps.images.resolve(ref);
      return { stage, image, config: structuredClone(image.config), args: new Map() };
    } catch (err) {
      if (isAppError(err, 'NOT_FOUND')) {
        throw new BuildError(`${file}:${stage.from.line}: FROM ${ref}: no such image or stage: boxlab builds offline and cannot pull "${ref}"`, 1);
      }
      throw err;
    }
  }

  private async step(
    state: StageState,
    ins: Instruction,
    context: BuildContext,
    work: string,
    lex: ShellLex,
    buildArgs: Map<string, string>,
    usedArgs: Set<string>,
    meta: Map<string, string>,
    finished: StageState[],
    print: (t: string) => void,
    file: string,
  ): Promise<Omit<BuildStepRecord, 'step' | 'total' | 'stage' | 'instruction'>> {
    const t0 = Date.now();
    try {
      const r = await this.dispatch(state, ins, context, work, lex, buildArgs, usedArgs, meta, finished, print);
      return { ...r, imageId: state.image?.id ?? '', seconds: (Date.now() - t0) / 1000 };
    } catch (err) {
      const message = messageOf(err);
      if (message.startsWith(`${file}:`)) throw err;
      throw new BuildError(`${file}:${ins.line}: ${message}`, err instanceof BuildError ? err.exitCode : 1);
    }
  }

  /** variables for expansion: ARGs in scope, overridden by ENV */
  private expansionEnv(state: StageState): Map<string, string> {
    const m = new Map(state.args);
    for (const [k, v] of envMap(state.config.Env)) m.set(k, v);
    return m;
  }

  private async dispatch(
    state: StageState,
    ins: Instruction,
    context: BuildContext,
    work: string,
    lex: ShellLex,
    buildArgs: Map<string, string>,
    usedArgs: Set<string>,
    meta: Map<string, string>,
    finished: StageState[],
    print: (t: string) => void,
  ): Promise<{ cached: boolean; layer?: { diffId: string; size: number }; checksum?: string }> {
    const env = this.expansionEnv(state);
    const word = (w: string) => lex.processWord(w, env);
    const config = structuredClone(state.config);
    const nop = (createdBy: string) => this.commitStep(state, config, `/bin/sh -c #(nop)  ${createdBy}`, print);
    if (ins.cmd === 'arg') {
      if (ins.args.length === 0) throw invalidArgument('ARG requires exactly one argument, e.g. ARG VERSION=1');
      for (const w of ins.args) {
        const [k, v] = this.argWord(w, lex, env);
        usedArgs.add(k);
        state.args.set(k, buildArgs.get(k) ?? v ?? meta.get(k) ?? '');
      }
      return nop(`ARG ${ins.args.join(' ')}`);
    }
    if (ins.cmd !== 'workdir') {
      const cmdSetInStage = state.stage.body.slice(0, Math.max(0, state.stage.body.indexOf(ins))).some((i) => i.cmd === 'cmd');
      const previousCheck = config.Healthcheck?.Test;
      if (ins.cmd === 'healthcheck' && previousCheck?.length && previousCheck[0] !== 'NONE') print(`Note: overriding previous HEALTHCHECK: [${previousCheck.join(' ')}]\n`);
      const text = applyConfigInstruction(config, ins, word, { cmdSetInStage });
      if (text !== undefined) return nop(text);
    }
    switch (ins.cmd) {
      case 'workdir': {
        applyConfigInstruction(config, ins, word);
        config.WorkingDir = path.posix.resolve(config.WorkingDir!);
        // the folder as the image sees it: a symlink on the way is followed inside the image (WORKDIR /app
        // with /app -> /srv creates /srv, keeps the link), never into the host
        const layerDirs = state.image ? this.deps.images.layerDirs(state.image) : [];
        const workdirRel = await resolveInLayers(layerDirs, config.WorkingDir);
        const exists = await lookupInLayers(layerDirs, workdirRel);
        if (exists?.stat.isDirectory()) return nop(`WORKDIR ${config.WorkingDir}`);
        return this.layerStep(state, config, `WORKDIR ${config.WorkingDir}`, `/bin/sh -c #(nop) WORKDIR ${config.WorkingDir}`, print, async () => {
          const staging = path.join(work, `workdir-${randomBytes(4).toString('hex')}`);
          await this.mkdirInStaging(staging, workdirRel, state);
          return writeDirLayer(staging, `${staging}.tar`);
        });
      }
      case 'run':
        return this.runInstruction(state, ins, config, buildArgs, print);
      case 'copy':
      case 'add':
        return this.copyInstruction(state, ins, config, context, work, word, finished, print);
      default:
        throw invalidArgument(`unknown instruction: ${ins.cmd.toUpperCase()}`);
    }
  }

  /** a step that only changes the config: cached by parent + instruction, committed without a layer */
  private async commitStep(state: StageState, config: ContainerConfig, createdBy: string, print: (t: string) => void) {
    return this.layerStep(state, config, createdBy, createdBy, print, async () => undefined);
  }

  private async layerStep(
    state: StageState,
    config: ContainerConfig,
    cacheText: string,
    createdBy: string,
    print: (t: string) => void,
    makeLayer: () => Promise<LayerFile | undefined>,
    noCache = false,
    checksum?: string,
  ): Promise<{ cached: boolean; layer?: { diffId: string; size: number }; checksum?: string }> {
    const parentId = state.image?.id ?? '';
    const key = `${cacheText}\n${JSON.stringify(config)}`;
    const hit = noCache || this.noCache ? undefined : await this.cache.get(parentId, key);
    if (hit) {
      const image = await this.deps.images.resolve(hit).catch(() => undefined);
      if (image) {
        print(' ---> Using cache\n');
        print(` ---> ${short(image.id)}\n`);
        const top = image.layers.length > (state.image?.layers.length ?? 0) ? image.layers[image.layers.length - 1] : undefined;
        state.image = image;
        state.config = structuredClone(image.config);
        return { cached: true, ...(top ? { layer: { diffId: top.diffId, size: top.size } } : {}), ...(checksum ? { checksum } : {}) };
      }
    }
    const layer = await makeLayer();
    const image = await commitImage(this.deps.images, { parent: state.image, config, history: { created_by: createdBy }, layer }).finally(
      // the store has its own copy of the layer now (or the commit failed): the tar is done with
      () => (layer ? fs.rm(layer.file, { force: true }) : undefined),
    );
    await this.cache.put(parentId, key, image.id);
    print(` ---> ${short(image.id)}\n`);
    state.image = image;
    state.config = structuredClone(image.config);
    return { cached: false, ...(layer ? { layer: { diffId: layer.diffId, size: layer.size } } : {}), ...(checksum ? { checksum } : {}) };
  }

  /** --no-cache of the build under way (a Builder runs one build at a time per instance) */
  private noCache = false;

  private async runInstruction(state: StageState, ins: Instruction, config: ContainerConfig, buildArgs: Map<string, string>, print: (t: string) => void) {
    if (!state.image) throw invalidArgument('RUN needs a base image with a shell: FROM scratch has none');
    let args: string[];
    if (ins.json) args = ins.args;
    else {
      let script = ins.args[0] ?? '';
      if (ins.heredocs.length > 0) {
        const bare = /^<<-?\s*["']?[A-Za-z_][A-Za-z0-9_.-]*["']?$/.test(script.trim());
        // `RUN <<EOF` runs the heredoc as the script; `RUN python3 <<EOF` hands it to the shell as a heredoc
        script = bare ? ins.heredocs[0]!.content : `${script}\n${ins.heredocs.map((h) => `${h.content}${h.name}\n`).join('')}`;
      }
      args = [...(config.Shell ?? DEFAULT_SHELL), script];
    }
    if (args.length === 0) throw invalidArgument('RUN needs a command');
    const argEnv = [...state.args].filter(([k]) => !envMap(config.Env).has(k)).map(([k, v]) => `${k}=${v}`);
    void buildArgs;
    const createdBy = `${argEnv.length > 0 ? `|${argEnv.length} ${argEnv.join(' ')} ` : ''}${args.join(' ')}`;
    return this.layerStep(state, config, createdBy, createdBy, print, async () => {
      const image = state.image!;
      const result = await runStep(this.deps.containers, {
        imageId: image.id,
        args,
        env: argEnv,
        onCreated: (id) => print(` ---> Running in ${short(id)}\n`),
        onOutput: (chunk) => print(chunk.data.toString()),
      });
      this.kept.push(result.containerId);
      if (result.exitCode !== 0) {
        throw new BuildError(`The command '${args.join(' ')}' returned a non-zero code: ${result.exitCode}`, result.exitCode);
      }
      const layer = await writeDirLayer(result.upperdir, path.join(this.deps.paths.tmp, `layer-${short(result.containerId)}.tar`), {
        lowerDirs: this.deps.images.layerDirs(image),
        exclude: INIT_LAYER_PATHS.map((p) => p.slice(1)),
      });
      if (this.removeAfterStep) await this.removeKept(print);
      return layer;
    });
  }

  /** creates rel (and its parents) in staging; parents the image has keep the image's owner and mode */
  private async mkdirInStaging(staging: string, rel: string, state: StageState): Promise<void> {
    const parts = rel.split('/').filter(Boolean);
    const layerDirs = state.image ? this.deps.images.layerDirs(state.image) : [];
    for (let i = 0; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      const host = sub === '' ? staging : path.join(staging, sub);
      await fs.mkdir(host, { recursive: true, mode: 0o755 });
      const found = await lookupInLayers(layerDirs, sub);
      if (found?.stat.isDirectory()) {
        await fs.chmod(host, found.stat.mode & 0o7777);
        await fs.lchown(host, found.stat.uid, found.stat.gid);
        await fs.utimes(host, found.stat.atime, found.stat.mtime);
      } else {
        await fs.chmod(host, 0o755);
      }
    }
  }

  private async copyInstruction(
    state: StageState,
    ins: Instruction,
    config: ContainerConfig,
    context: BuildContext,
    work: string,
    word: (w: string) => string,
    finished: StageState[],
    print: (t: string) => void,
  ) {
    const NAME = ins.cmd.toUpperCase();
    const words = ins.args.map(word);
    if (words.length < 2) throw invalidArgument(`${NAME} requires at least two arguments, but only one was provided. Destination could not be determined.`);
    const dest = words[words.length - 1]!;
    const srcs = words.slice(0, -1);
    if (ins.cmd === 'add') {
      const url = srcs.find((s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s));
      if (url) {
        throw unavailable(`ADD ${url}: downloading from a URL needs network access, and boxlab builds offline`, {
          suggestions: ['download the file into the build context first, then COPY it'],
        });
      }
    }
    // where the files come from: the context, an earlier stage, or an image
    let root = context.dir;
    let ignore = context.ignore;
    let release = async () => undefined as void;
    const from = ins.flags.from !== undefined ? word(ins.flags.from) : undefined;
    if (from !== undefined) {
      const byIndex = /^\d+$/.test(from) ? finished[Number(from)] : undefined;
      const stage = byIndex ?? finished.find((s) => s.stage.name === from.toLowerCase());
      const image = stage ? stage.image : await this.deps.images.resolve(from);
      ignore = [];
      const merged = await this.mergedRoot(image, work);
      root = merged.dir;
      release = merged.release;
    }
    try {
      const sources = await resolveSources(root, srcs, ignore, from !== undefined);
      const checksum = await sourcesChecksum(sources, root, ignore);
      const chown = ins.flags.chown ? word(ins.flags.chown) : undefined;
      const chmod = ins.flags.chmod;
      if (chmod !== undefined && !/^[0-7]{3,4}$/.test(chmod)) throw invalidArgument(`--chmod: invalid mode "${chmod}": expected octal, e.g. 0755`);
      const destAbs = path.posix.resolve(config.WorkingDir || '/', dest);
      const destIsDir = dest.endsWith('/') || dest.endsWith('/.') || dest === '.' || sources.length > 1;
      if (sources.length > 1 && !dest.endsWith('/')) {
        throw invalidArgument(`When using ${NAME} with more than one source file, the destination must be a directory and end with a /`);
      }
      const label = `${from !== undefined ? `--from=${from} ` : ''}${chown ? `--chown=${chown} ` : ''}${chmod ? `--chmod=${chmod} ` : ''}`;
      const createdBy = `/bin/sh -c #(nop) ${NAME} ${label}${sources.length === 1 && sources[0]!.stat.isDirectory() ? 'dir' : 'file'}:${checksum} in ${destAbs} `;
      return await this.layerStep(
        state,
        config,
        createdBy,
        createdBy,
        print,
        async () => {
          const staging = path.join(work, `copy-${randomBytes(4).toString('hex')}`);
          const layerDirs = state.image ? this.deps.images.layerDirs(state.image) : [];
          const owner = chown ? await resolveChown(layerDirs, chown) : { uid: 0, gid: 0 };
          // the destination as the image sees it: its symlinks are followed inside the image (Docker resolves
          // it in the container's rootfs), so COPY f /app/ with /app -> /etc writes /etc/f and keeps the link
          const destRel = await resolveInLayers(layerDirs, destAbs);
          const existingDest = await lookupInLayers(layerDirs, destRel);
          const intoDir = destIsDir || existingDest?.stat.isDirectory() === true;
          const dirRel = intoDir ? destRel : path.posix.dirname(destRel).replace(/^\.$/, '');
          await this.mkdirInStaging(staging, dirRel, state);
          const copied: string[] = [];
          if (intoDir && !existingDest) {
            await fs.lchown(path.join(staging, dirRel), owner.uid, owner.gid);
          }
          // staging stands for the image's root: every name is written inside it, whatever links the sources hold
          const writer = new RootWriter(staging);
          const keep = (src: string) => !isIgnored(path.relative(root, src), ignore);
          const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
          for (const s of sources) {
            if (s.stat.isDirectory()) {
              // a folder's contents go into the destination folder, which keeps its own mode when it exists
              const into = intoDir ? dirRel : destRel;
              if (!intoDir) await this.mkdirInStaging(staging, into, state);
              for (const name of (await fs.readdir(s.hostPath)).sort()) {
                const child = path.join(s.hostPath, name);
                if (keep(child)) await writer.copyTree(join(into, name), child, await fs.lstat(child), keep);
              }
              copied.push(path.join(staging, into));
              continue;
            }
            if (ins.cmd === 'add' && s.stat.isFile() && (await isArchive(s.hostPath))) {
              // Docker unpacks into the destination folder as its root (chrootarchive.UntarPath)
              const extractRel = intoDir ? dirRel : destRel;
              const extractRoot = await resolveInRoot(staging, extractRel);
              await fs.mkdir(extractRoot, { recursive: true });
              await untarFileInRoot(s.hostPath, extractRoot, { label: `ADD ${path.posix.basename(s.rel)}: archive`, keepOwners: true });
              continue;
            }
            const targetRel = intoDir ? join(dirRel, path.posix.basename(s.rel)) : destRel;
            await writer.copyTree(targetRel, s.hostPath, s.stat, keep);
            copied.push(await writer.place(targetRel));
          }
          await writer.finish();
          for (const c of copied) await chownTree(c, owner.uid, owner.gid, chmod ? parseInt(chmod, 8) : undefined);
          return writeDirLayer(staging, `${staging}.tar`);
        },
        false,
        checksum,
      );
    } finally {
      await release();
    }
  }

  /** an image's merged root, read-only: one layer as it is, several as a read-only overlay */
  private async mergedRoot(image: ImageRecord | undefined, work: string): Promise<{ dir: string; release: () => Promise<void> }> {
    const dirs = image ? this.deps.images.layerDirs(image) : [];
    if (dirs.length === 0) {
      const empty = path.join(work, `empty-${randomBytes(4).toString('hex')}`);
      await fs.mkdir(empty, { recursive: true });
      return { dir: empty, release: async () => undefined };
    }
    if (dirs.length === 1) return { dir: dirs[0]!, release: async () => undefined };
    const target = path.join(work, `from-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(target, { recursive: true });
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${[...dirs].reverse().join(':')}`, target]);
    return {
      dir: target,
      release: async () => {
        await run('umount', [target], { allowFailure: true });
      },
    };
  }
}

/** build/records/<hex>.json: the steps of the build that made an image */
export function buildRecordFile(paths: EnginePaths, imageId: string): string {
  return path.join(paths.root, 'build', 'records', `${imageId.replace(/^sha256:/, '')}.json`);
}

async function chownTree(p: string, uid: number, gid: number, mode?: number): Promise<void> {
  const st = await fs.lstat(p);
  await fs.lchown(p, uid, gid);
  if (mode !== undefined && !st.isSymbolicLink()) await fs.chmod(p, mode);
  if (st.isDirectory()) for (const c of await fs.readdir(p)) await chownTree(path.join(p, c), uid, gid, mode);
}

async function isArchive(file: string): Promise<boolean> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(262);
    const { bytesRead } = await fh.read(buf, 0, 262, 0);
    return ARCHIVE_MAGIC(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
