// Registry benchmark: pull and push of a ~100 MB, 4-layer image from/to a local Debian docker-registry,
// boxlabd (through the real docker CLI) against `skopeo copy` of the same image in the same run.
// Each timed run starts clean (a fresh engine root for pulls, a fresh registry for pushes), so every
// blob really crosses the wire. Note what differs: `docker pull` also unpacks the layers into the
// snapshotter while `skopeo copy ... oci:` only stores blobs, so a second reference adds `umoci raw
// unpack` of the copied image; both pushes gzip the layers. Needs root, runc, skopeo, umoci, docker-registry.
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../src/core/exec.js';
import { sha256Digest } from '../src/engine/content/digest.js';
import { buildLayerTar } from '../src/engine/images/bake/layer-tar.js';
import { BAKE_EPOCH } from '../src/engine/images/bake/busybox-recipe.js';
import { writeDockerArchive, type ArchiveImage } from '../src/engine/images/docker-archive-writer.js';
import { hostArchitecture } from '../src/engine/images/image-config.js';
import { EngineHarness, NEW_DOCKER } from '../test/helpers/engine-harness.js';
import { TestRegistry } from '../test/integration/distribution/registry-fixture.js';
import { median, type Sample } from './measure.js';

export interface RegistryBenchResult {
  imageBytes: number;
  pull: { boxlabd: Sample; skopeo: Sample; skopeoUnpack: Sample };
  push?: { boxlabd: Sample; skopeo: Sample };
  lines: string[];
}

export interface RegistryBenchOptions {
  runs?: number;
  megabytes?: number;
  /** leave out the push part (bench/pull-build.ts times the pull alone) */
  pullOnly?: boolean;
}

/** one traced event of a pull, in ms from the start of `docker pull` */
interface PhaseMark {
  step: string;
  ms: number;
}

/** the engine's trace of an image (GET /boxlab/trace/<ref>): its steps and when they happened */
function readTrace(socketPath: string, ref: string): Promise<Array<{ time: string; step: string; details: Record<string, unknown> }>> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: `/boxlab/trace/${ref}` }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
  });
}

/**
 * the pull's phases from the engine's own trace: manifest fetched, each layer downloaded ("pull.layer"),
 * each layer unpacked ("layer.unpack"), as ms since the CLI started; the median of each mark over the runs
 */
function phaseLines(runs: PhaseMark[][], totalMs: number): string[] {
  if (runs.length === 0) return [];
  const labels = runs[0].map((m) => m.step);
  const lines = [`pull phases (boxlabd's trace, ms after docker pull started, median of ${runs.length}; end ${totalMs.toFixed(0)} ms):`];
  labels.forEach((label, i) => {
    const ms = median(runs.map((r) => r[i]?.ms ?? Number.NaN).filter((v) => !Number.isNaN(v)));
    lines.push(`  ${label.padEnd(30)} ${ms.toFixed(0).padStart(6)} ms`);
  });
  return lines;
}

/** a 4-layer image of ~`megabytes` MB: half random bytes (incompressible), half zeros, per layer */
async function benchImage(megabytes: number): Promise<ArchiveImage & { bytes: number }> {
  const layers = [];
  const perLayer = Math.round((megabytes * 1e6) / 4);
  for (let i = 0; i < 4; i++) {
    const data = Buffer.concat([randomBytes(perLayer / 2), Buffer.alloc(perLayer / 2)]);
    const tar = await buildLayerTar([{ name: `data-${i}.bin`, type: 'file', mode: 0o644, data }], BAKE_EPOCH);
    layers.push({ diffId: sha256Digest(tar), size: tar.length, open: () => Readable.from([tar]) });
  }
  const created = BAKE_EPOCH.toISOString();
  const config = Buffer.from(
    JSON.stringify({
      architecture: hostArchitecture(),
      os: 'linux',
      created,
      config: { Cmd: ['true'] },
      history: layers.map(() => ({ created, created_by: 'bench layer' })),
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  return { config, repoTags: ['bench/big:1'], layers, bytes: layers.reduce((n, l) => n + l.size, 0) };
}

/** writes the benchmark image as a docker-archive tarball; returns its uncompressed layer bytes */
export async function writeBenchArchive(file: string, megabytes = 100): Promise<number> {
  const image = await benchImage(megabytes);
  await writeDockerArchive([image], createWriteStream(file));
  return image.bytes;
}

async function timed(label: string, runs: number, once: () => Promise<{ before?: () => Promise<void>; timed: () => Promise<void>; after?: () => Promise<void> }>): Promise<Sample> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const step = await once();
    await step.before?.();
    const t0 = process.hrtime.bigint();
    try {
      await step.timed();
    } finally {
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await step.after?.();
    }
  }
  return { label, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
}

function throughput(s: Sample, bytes: number): string {
  return `${s.label.padEnd(46)} median ${(s.medianMs / 1000).toFixed(2).padStart(6)} s  ${((bytes / 1e6) / (s.medianMs / 1000)).toFixed(1).padStart(6)} MB/s  (min ${(s.minMs / 1000).toFixed(2)} s, n=${s.runs})`;
}

export async function benchRegistry(work: string, options: RegistryBenchOptions = {}): Promise<RegistryBenchResult> {
  const runs = options.runs ?? 3;
  await fs.mkdir(work, { recursive: true });
  const image = await benchImage(options.megabytes ?? 100);
  const archive = path.join(work, 'bench-big.tar');
  await writeDockerArchive([image], createWriteStream(archive));
  const source = await TestRegistry.start({ label: 'bench' });
  const lines: string[] = [];
  try {
    await source.copyIn(`docker-archive:${archive}`, 'bench/big:1');
    const ref = `${source.host}/bench/big:1`;

    // pull: a fresh engine each run, so nothing is cached
    const phases: PhaseMark[][] = [];
    const pullBoxlabd = await timed('docker pull (boxlabd)', runs, async () => {
      const engine = await EngineHarness.start();
      let started = 0;
      return {
        timed: async () => {
          started = Date.now();
          await engine.dockerOk(['pull', ref], { timeout: 600_000 });
        },
        after: async () => {
          try {
            const events = await readTrace(engine.socketPath, ref);
            const counts = new Map<string, number>();
            phases.push(
              events
                .filter((e) => e.step.startsWith('pull.') || e.step === 'layer.unpack')
                .map((e) => {
                  const n = (counts.get(e.step) ?? 0) + 1;
                  counts.set(e.step, n);
                  return { step: e.step === 'pull.manifest' ? e.step : `${e.step} #${n}`, ms: Date.parse(e.time) - started };
                }),
            );
          } finally {
            await engine.stop();
          }
        },
      };
    });
    let n = 0;
    const pullSkopeo = await timed('skopeo copy docker:// -> oci:', runs, async () => {
      const dest = path.join(work, `skopeo-pull-${n++}`);
      return {
        timed: async () => void (await run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${dest}:big`], { timeout: 600_000 })),
        after: () => fs.rm(dest, { recursive: true, force: true }),
      };
    });

    // the same download plus unpacking every layer into a root folder, as a pull into an engine does
    let u = 0;
    const pullUnpack = await timed('skopeo copy + umoci raw unpack', runs, async () => {
      const dest = path.join(work, `skopeo-unpack-${u++}`);
      return {
        before: async () => void (await fs.mkdir(dest, { recursive: true })),
        timed: async () => {
          await run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${dest}/layout:big`], { timeout: 600_000 });
          await run('umoci', ['raw', 'unpack', '--image', `${dest}/layout:big`, `${dest}/rootfs`], { timeout: 600_000 });
        },
        after: () => fs.rm(dest, { recursive: true, force: true }),
      };
    });

    const ratio = (label: string, a: Sample, b: Sample) => `${label.padEnd(46)} ${(a.medianMs / b.medianMs).toFixed(2)}x   goal: within 1.2x`;
    lines.push(`registry: a ${(image.bytes / 1e6).toFixed(0)} MB image in 4 layers, local docker-registry, docker CLI ${NEW_DOCKER}`);
    lines.push(throughput(pullBoxlabd, image.bytes), throughput(pullSkopeo, image.bytes), ratio('pull: boxlabd / skopeo (boxlabd also unpacks)', pullBoxlabd, pullSkopeo));
    lines.push(throughput(pullUnpack, image.bytes), ratio('pull: boxlabd / (skopeo + umoci unpack)', pullBoxlabd, pullUnpack));
    lines.push(...phaseLines(phases, pullBoxlabd.medianMs));
    const pull = { boxlabd: pullBoxlabd, skopeo: pullSkopeo, skopeoUnpack: pullUnpack };
    if (options.pullOnly) return { imageBytes: image.bytes, pull, lines };

    // push: the image loaded once into one engine; a fresh registry each run, so every blob is uploaded
    const engine = await EngineHarness.start();
    let pushBoxlabd: Sample;
    try {
      await engine.dockerOk(['load', '-i', archive], { timeout: 600_000 });
      pushBoxlabd = await timed('docker push (boxlabd)', runs, async () => {
        const target = await TestRegistry.start({ label: 'bench-push' });
        const tag = `${target.host}/bench/big:1`;
        return {
          before: async () => void (await engine.dockerOk(['tag', 'bench/big:1', tag])),
          timed: async () => void (await engine.dockerOk(['push', tag], { timeout: 600_000 })),
          after: async () => {
            await engine.docker(['rmi', tag]);
            await target.stop();
          },
        };
      });
    } finally {
      await engine.stop();
    }
    const pushSkopeo = await timed('skopeo copy docker-archive: -> docker://', runs, async () => {
      const target = await TestRegistry.start({ label: 'bench-push' });
      return {
        timed: () => target.copyIn(`docker-archive:${archive}`, 'bench/big:1'),
        after: () => target.stop(),
      };
    });

    lines.push(throughput(pushBoxlabd, image.bytes), throughput(pushSkopeo, image.bytes), ratio('push: boxlabd / skopeo', pushBoxlabd, pushSkopeo));
    return { imageBytes: image.bytes, pull, push: { boxlabd: pushBoxlabd, skopeo: pushSkopeo }, lines };
  } finally {
    await source.stop();
    await fs.rm(archive, { force: true });
  }
}
