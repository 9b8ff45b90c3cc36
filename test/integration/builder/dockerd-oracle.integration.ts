// The oracle for the classic builder: Debian's dockerd (20.10) builds the same sample Dockerfiles from the
// same busybox image (loaded from boxlab's baked archive) with DOCKER_BUILDKIT=0. The image configs must
// agree field by field, and so must the flattened file trees (every path with its type, mode, owner and
// size, after applying each layer's whiteouts), read from `docker save` of both.
import assert from 'node:assert/strict';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';
import { useEngine } from '../../helpers/engine-suite.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SAMPLES = path.join(REPO, 'samples');
const CLASSIC = { DOCKER_BUILDKIT: '0' };
const CONFIG_FIELDS = ['Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'User', 'ExposedPorts', 'Labels', 'Volumes', 'StopSignal', 'Healthcheck', 'Shell', 'OnBuild'] as const;

/** the tar entries of a stream, each with its body (layer tars are small here) */
async function tarEntries(stream: NodeJS.ReadableStream): Promise<Array<{ header: tar.Header; body: Buffer }>> {
  const extract = tar.extract();
  const out: Array<{ header: tar.Header; body: Buffer }> = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      out.push({ header: entry.header, body: Buffer.concat(chunks) });
    }
  })();
  stream.pipe(extract);
  await done;
  return out;
}

/** "path type mode uid:gid size" for every path of the image, layers applied in order with whiteouts */
export async function flattenedTree(archive: string): Promise<string[]> {
  const files = new Map((await tarEntries(createReadStream(archive))).map((e) => [e.header.name, e.body]));
  const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Layers: string[] }>;
  const tree = new Map<string, string>();
  for (const layer of manifest[0]!.Layers) {
    const { Readable } = await import('node:stream');
    for (const { header } of await tarEntries(Readable.from([files.get(layer)!]))) {
      const name = header.name.replace(/^\.?\//, '').replace(/\/$/, '');
      const base = path.posix.basename(name);
      const dir = path.posix.dirname(name);
      if (base === '.wh..wh..opq') {
        for (const k of [...tree.keys()]) if (k.startsWith(`${dir}/`)) tree.delete(k);
        continue;
      }
      if (base.startsWith('.wh.')) {
        const gone = path.posix.join(dir, base.slice(4));
        for (const k of [...tree.keys()]) if (k === gone || k.startsWith(`${gone}/`)) tree.delete(k);
        continue;
      }
      if (name === '' || name === '.') continue;
      const mode = ((header.mode ?? 0) & 0o7777).toString(8);
      const size = header.type === 'file' ? String(header.size) : header.type === 'symlink' ? `-> ${header.linkname}` : '';
      tree.set(name, `${name} ${header.type} ${mode} ${header.uid}:${header.gid} ${size}`.trimEnd());
    }
  }
  return [...tree.values()].sort();
}

describe('classic builder oracle: boxlabd and Debian\'s dockerd build the same Dockerfiles (root)', function () {
  this.timeout(300_000);
  const h = useEngine({ needs: ['dockerd'] });
  let ref: ReferenceDockerd;
  let work: string;

  before(async function () {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-build-oracle-'));
    ref = await ReferenceDockerd.start('boxlab-build-dockerd');
  });

  after(async () => {
    if (ref) await ref.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('both engines start from the same busybox image id', async () => {
    assert.equal(await ref.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'busybox']), await h.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'busybox']));
  });

  for (const sample of ['hello-web', 'multi-stage', 'config-tour']) {
    it(`${sample}: same image config and the same file tree`, async () => {
      const dir = path.join(work, sample);
      await fs.cp(path.join(SAMPLES, sample), dir, { recursive: true });
      const tag = `oracle-${sample}`;
      const ours = await h.docker(['build', '-t', tag, dir], { env: CLASSIC, timeout: 120_000 });
      assert.equal(ours.exitCode, 0, `boxlabd: ${ours.stdout}\n${ours.stderr}`);
      const theirs = await ref.docker(['build', '-t', tag, dir], CLASSIC);
      assert.equal(theirs.exitCode, 0, `dockerd: ${theirs.stdout}\n${theirs.stderr}`);
      // the same steps, in the same words
      const steps = (out: string) => out.split('\n').filter((l) => l.startsWith('Step '));
      assert.deepEqual(steps(ours.stdout), steps(theirs.stdout));

      const config = async (inspect: string) => {
        const c = JSON.parse(inspect) as Record<string, unknown>;
        return Object.fromEntries(CONFIG_FIELDS.map((f) => [f, c[f] ?? null]).map(([f, v]) => [f, Array.isArray(v) && v.length === 0 ? null : v]));
      };
      const fmt = ['image', 'inspect', '-f', '{{json .Config}}', tag];
      assert.deepEqual(await config(await h.dockerOk(fmt)), await config(await ref.dockerOk(fmt)));

      const oursTar = path.join(work, `${sample}-boxlabd.tar`);
      const theirsTar = path.join(work, `${sample}-dockerd.tar`);
      await h.dockerOk(['save', '-o', oursTar, tag]);
      await ref.dockerOk(['save', '-o', theirsTar, tag]);
      const [a, b] = [await flattenedTree(oursTar), await flattenedTree(theirsTar)];
      const onlyOurs = a.filter((x) => !b.includes(x));
      const onlyTheirs = b.filter((x) => !a.includes(x));
      assert.deepEqual({ onlyOurs, onlyTheirs }, { onlyOurs: [], onlyTheirs: [] });
      assert.ok(a.length > 100, `the tree holds busybox's files (${a.length} paths)`);

      // and they run the same
      const runOut = async (engine: { dockerOk(args: string[]): Promise<string> }) => engine.dockerOk(['run', '--rm', '--network', 'none', tag, ...(sample === 'hello-web' ? ['cat', '/www/index.html'] : [])]);
      assert.equal(await runOut(h), await runOut(ref));
    });
  }
});
