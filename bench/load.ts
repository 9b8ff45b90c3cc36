// `docker load` benchmark: an image whose one layer holds 50,000 small files (the per-entry cost of
// unpacking, as a node_modules or site-packages layer has it), loaded with the real docker CLI into
// boxlabd and, when it runs, Debian's dockerd. Each run removes the image first, so every run unpacks
// the layer. The archive is generated here (about 50 MB), never committed.
import { spawnSync } from 'node:child_process';
import { writeManyFilesArchive } from '../test/helpers/many-files-archive.js';
import { median, type Sample } from './measure.js';

export const MANY_FILES = 50_000;

/** writes the benchmark archive once; pass its path to benchLoad for each engine */
export async function writeLoadBenchArchive(file: string): Promise<string> {
  await writeManyFilesArchive(file, MANY_FILES, 'bench/many-files:latest');
  return file;
}

export function benchLoad(options: { archive: string; env: Record<string, string>; label: string; docker: string; runs?: number }): Sample {
  const runs = options.runs ?? 3;
  const env = { ...process.env, ...options.env };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    spawnSync(options.docker, ['rmi', '-f', 'bench/many-files:latest'], { env, stdio: 'ignore' });
    const t0 = process.hrtime.bigint();
    const r = spawnSync(options.docker, ['load', '-q', '-i', options.archive], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`docker load (${options.label}) exited ${r.status}: ${r.stderr?.toString().trim()}`);
    times.push(ms);
  }
  spawnSync(options.docker, ['rmi', '-f', 'bench/many-files:latest'], { env, stdio: 'ignore' });
  return { label: `docker load, ${MANY_FILES.toLocaleString('en')} small files, ${options.label}`, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
}
