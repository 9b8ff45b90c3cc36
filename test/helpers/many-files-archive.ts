// A docker-archive whose one layer holds many small files (`count` files of 16 bytes in folders of 100),
// the shape of a node_modules or a Python site-packages layer: it measures the per-entry cost of
// `docker load`, not its throughput. Generated on the fly (50,000 files make a ~50 MB tarball, too big to
// commit); the same count gives the same bytes, so the same image id.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { writeDockerArchive } from '../../src/engine/images/docker-archive-writer.js';
import { hostArchitecture } from '../../src/engine/images/image-config.js';

const EPOCH = new Date('2024-01-01T00:00:00Z');

async function writeLayer(file: string, count: number): Promise<{ diffId: string; size: number }> {
  const pack = tar.pack();
  const hash = createHash('sha256');
  let size = 0;
  pack.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  });
  const written = pipeline(pack, createWriteStream(file));
  const entry = (header: Partial<tar.Header> & { name: string }, data?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (data) pack.entry(header, data, cb);
      else pack.entry(header, cb);
    });
  for (let i = 0; i < count; i++) {
    const dir = `many/d${String(Math.floor(i / 100)).padStart(4, '0')}`;
    if (i % 100 === 0) await entry({ name: `${dir}/`, type: 'directory', mode: 0o755, mtime: EPOCH });
    await entry({ name: `${dir}/f${i}.txt`, type: 'file', mode: 0o644, mtime: EPOCH }, Buffer.from(`file ${String(i).padStart(10, '0')}\n`));
  }
  pack.finalize();
  await written;
  return { diffId: `sha256:${hash.digest('hex')}`, size };
}

/** writes `file`, a docker-archive of the image `tag` with one layer of `count` small files */
export async function writeManyFilesArchive(file: string, count: number, tag = 'many-files:latest'): Promise<void> {
  const layerFile = `${file}.layer.tar`;
  try {
    const layer = await writeLayer(layerFile, count);
    const config = Buffer.from(
      JSON.stringify({
        architecture: hostArchitecture(),
        os: 'linux',
        created: EPOCH.toISOString(),
        config: { Cmd: ['true'] },
        history: [{ created: EPOCH.toISOString(), created_by: `${count} small files` }],
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      }),
    );
    await writeDockerArchive([{ config, repoTags: [tag], layers: [{ ...layer, open: () => createReadStream(layerFile) }] }], createWriteStream(file));
  } finally {
    await fs.rm(layerFile, { force: true });
  }
}
