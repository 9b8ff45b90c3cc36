// `docker images`, `docker rmi` and `docker image prune` against boxlabd, with Debian's dockerd (20.10) as the
// oracle: both engines get the same busybox image and the same command sequence (classic builder, so every
// build step commits an intermediate image), and must print the same REPOSITORY:TAG rows in the same order
// and the same number of Untagged/Deleted lines (ids differ between engines, except busybox's).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, type RunResult } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { waitFor } from '../../helpers/wait-for.js';
import { ReferenceDockerd } from '../../helpers/reference-dockerd.js';

const CLASSIC = { DOCKER_BUILDKIT: '0' };

interface Engine {
  name: string;
  socket: string;
  docker(args: string[], env?: Record<string, string>): Promise<RunResult>;
}


describe('docker CLI: image listing, rmi and prune as dockerd does them (root)', function () {
  this.timeout(300_000);
  const h = useEngine({ needs: ['dockerd'] });
  let ref: ReferenceDockerd;
  let work: string;
  let engines: Engine[];

  before(async function () {
    this.timeout(120_000);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-imagelist-'));
    ref = await ReferenceDockerd.start('boxlab-imagelist-dockerd');
    engines = [
      { name: 'boxlabd', socket: h.socketPath, docker: (args, env) => h.docker(args, { env, timeout: 120_000 }) },
      { name: 'dockerd', socket: path.join(ref.dir, 'd.sock'), docker: (args, env) => ref.docker(args, env) },
    ];
  });

  after(async function () {
    this.timeout(120_000);
    if (ref) await ref.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  /** the same docker command on both engines at once; each must exit 0 unless allowed */
  async function both(args: string[], options: { env?: Record<string, string>; fail?: boolean } = {}): Promise<[RunResult, RunResult]> {
    const results = await Promise.all(engines.map((e) => e.docker(args, options.env)));
    if (!options.fail) {
      results.forEach((r, i) => assert.equal(r.exitCode, 0, `docker ${args.join(' ')} on ${engines[i]!.name}: ${r.stdout}\n${r.stderr}`));
    }
    return results as [RunResult, RunResult];
  }

  /**
   * `docker images <args>` as REPOSITORY:TAG rows on both engines, which must agree. The CLI groups an
   * image's names by repository in a Go map, so the rows of one image come in any order: they are sorted
   * within each image (images keep the order the engine gave them).
   */
  async function rows(args: string[] = []): Promise<string[]> {
    const [ours, theirs] = await both(['images', ...args, '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
    const canonical = (out: string) => {
      const groups: Array<{ id: string; names: string[] }> = [];
      for (const line of out.split('\n').filter(Boolean)) {
        const [id, name] = line.split(' ') as [string, string];
        if (groups.at(-1)?.id === id) groups.at(-1)!.names.push(name);
        else groups.push({ id, names: [name] });
      }
      return groups.flatMap((g) => g.names.sort());
    };
    assert.deepEqual(canonical(ours.stdout), canonical(theirs.stdout), `docker images ${args.join(' ')}: boxlabd vs dockerd`);
    return canonical(ours.stdout);
  }

  /** the counts of Untagged/Deleted lines of rmi, or untagged:/deleted: lines of prune */
  const counts = (out: string) => ({
    untagged: out.split('\n').filter((l) => /^untagged: /i.test(l)).length,
    deleted: out.split('\n').filter((l) => /^deleted: /i.test(l)).length,
  });

  async function build(name: string, dockerfile: string, tag?: string): Promise<void> {
    const dir = path.join(work, name);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile);
    await both(['build', ...(tag ? ['-t', tag] : []), dir], { env: CLASSIC });
  }

  /** GET /images/json?all=1 on one engine (curl over its unix socket) */
  async function imagesJson(engine: Engine): Promise<Array<{ Id: string; ParentId: string; RepoTags: string[] | null; Created: number }>> {
    const res = await run('curl', ['-sf', '--unix-socket', engine.socket, 'http://localhost/v1.41/images/json?all=1']);
    return JSON.parse(res.stdout) as Array<{ Id: string; ParentId: string; RepoTags: string[] | null; Created: number }>;
  }

  /**
   * dockerd sorts images by Created, in whole seconds: the next build must not share a second with any
   * image either engine has, so wait for the clock to pass the newest one's
   */
  async function pastNewestImageSecond(): Promise<void> {
    const newest = Math.max(...(await Promise.all(engines.map(imagesJson))).flat().map((i) => i.Created));
    await waitFor(`the clock to pass the second of the newest image (${newest})`, () => Math.floor(Date.now() / 1000) > newest, { intervalMs: 20 });
  }

  it('docker images hides intermediate build images (shown with -a) and lists newest first', async () => {
    await build('a', 'FROM busybox\nRUN echo a > /a\nENV STEP=2\nRUN echo b > /b\n', 'lab/tools:1.0');
    await pastNewestImageSecond();
    await build('b', 'FROM busybox\nLABEL lab=05\nRUN echo c > /c\n', 'lab/tools:2.0');
    await both(['tag', 'lab/tools:1.0', '127.0.0.1:5391/lab/tools:1.0']);

    assert.deepEqual(await rows(), ['lab/tools:2.0', '127.0.0.1:5391/lab/tools:1.0', 'lab/tools:1.0', 'busybox:latest']);
    // -a: the three intermediate images too (RUN a and ENV of the first build, LABEL of the second);
    // they share a second with their builds, where dockerd's order is arbitrary: compare them as sets
    const all = await Promise.all(engines.map((e) => e.docker(['images', '-a', '--format', '{{.Repository}}:{{.Tag}}'])));
    const [ours, theirs] = all.map((r) => r.stdout.split('\n').filter(Boolean).sort());
    assert.deepEqual(ours, theirs);
    assert.equal(ours!.filter((r) => r === '<none>:<none>').length, 3);
  });

  it('docker images <repo> and the reference, dangling, label, before and since filters select rows as dockerd does', async () => {
    await pastNewestImageSecond();
    await build('d', 'FROM busybox\nLABEL lab=06\nRUN echo d > /d\n'); // untagged: a dangling image

    assert.deepEqual(await rows(['lab/tools']), ['lab/tools:2.0', 'lab/tools:1.0']);
    assert.deepEqual(await rows(['lab/*']), ['lab/tools:2.0', 'lab/tools:1.0']);
    assert.deepEqual(await rows(['127.0.0.1:5391/lab/tools']), ['127.0.0.1:5391/lab/tools:1.0']);
    assert.deepEqual(await rows(['busybox:latest']), ['busybox:latest']);
    assert.deepEqual(await rows(['--filter', 'reference=lab/tools:1.*']), ['lab/tools:1.0']);
    assert.deepEqual(await rows(['--filter', 'reference=*/lab/*']), ['127.0.0.1:5391/lab/tools:1.0']);
    assert.deepEqual(await rows(['nosuch/repo']), []);
    assert.deepEqual(await rows(['--filter', 'dangling=true']), ['<none>:<none>']);
    assert.deepEqual(await rows(['--filter', 'dangling=false']), ['lab/tools:2.0', '127.0.0.1:5391/lab/tools:1.0', 'lab/tools:1.0', 'busybox:latest']);
    assert.deepEqual(await rows(['--filter', 'label=lab=05']), ['lab/tools:2.0']);
    assert.deepEqual(await rows(['--filter', 'label=lab']), ['<none>:<none>', 'lab/tools:2.0']);
    assert.deepEqual(await rows(['--filter', 'before=lab/tools:2.0']), ['127.0.0.1:5391/lab/tools:1.0', 'lab/tools:1.0', 'busybox:latest']);
    assert.deepEqual(await rows(['--filter', 'since=lab/tools:1.0']), ['<none>:<none>', 'lab/tools:2.0']);

    for (const filter of ['nope=1', 'dangling=maybe']) {
      const [ours, theirs] = await both(['images', '--filter', filter], { fail: true });
      assert.notEqual(ours.exitCode, 0);
      assert.equal(ours.stderr, theirs.stderr, `docker images --filter ${filter}: the same refusal`);
      assert.match(ours.stderr, /Invalid filter '(nope|dangling=\[maybe\])'/);
    }
  });

  it('docker image inspect shows the Parent of built and committed images (ParentId in /images/json)', async () => {
    const busyboxId = (await both(['image', 'inspect', '-f', '{{.Id}}', 'busybox']))[0].stdout;
    for (const e of engines) {
      const parent = (await e.docker(['image', 'inspect', '-f', '{{.Parent}}', 'lab/tools:1.0'])).stdout;
      assert.match(parent, /^sha256:[a-f0-9]{64}$/, `${e.name}: Parent of lab/tools:1.0`);
      const listed = await imagesJson(e);
      const tools = listed.find((i) => i.RepoTags?.includes('lab/tools:1.0'));
      assert.equal(tools?.ParentId, parent, `${e.name}: ParentId in /images/json`);
      assert.ok(listed.some((i) => i.Id === parent), `${e.name}: the parent is an image listed with all=1`);
      // lab/tools:1.0 (RUN b) <- ENV step <- RUN a step <- busybox, the FROM image, which has none
      const chain: string[] = [parent];
      for (let next = parent; chain.length < 5; chain.push(next)) {
        next = (await e.docker(['image', 'inspect', '-f', '{{.Parent}}', chain.at(-1)!])).stdout;
        if (next === '') break;
      }
      assert.equal(chain.length, 3, `${e.name}: ${chain.join(' <- ')}`);
      assert.equal(chain[2], busyboxId, `${e.name}: the first step's parent is busybox`);
    }
    assert.deepEqual((await both(['image', 'inspect', '-f', '{{.Parent}}', 'busybox'])).map((r) => r.stdout), ['', '']);

    await both(['run', '--name', 'lab-commit', '--network', 'none', 'busybox', 'touch', '/x']);
    await both(['commit', 'lab-commit', 'lab/committed:1']);
    await both(['rm', 'lab-commit']);
    assert.deepEqual((await both(['image', 'inspect', '-f', '{{.Parent}}', 'lab/committed:1'])).map((r) => r.stdout), [busyboxId, busyboxId]);

    // docker save of an image with its parent writes the link ("Parent" in manifest.json); load restores it
    for (const e of engines) {
      const tarball = path.join(work, `committed-${e.name}.tar`);
      assert.equal((await e.docker(['save', '-o', tarball, 'lab/committed:1', 'busybox'])).exitCode, 0);
      assert.equal((await e.docker(['rmi', 'lab/committed:1'])).exitCode, 0);
      assert.equal((await e.docker(['load', '-i', tarball])).exitCode, 0);
      assert.equal((await e.docker(['image', 'inspect', '-f', '{{.Parent}}', 'lab/committed:1'])).stdout, busyboxId, `${e.name}: Parent after save/load`);
    }
  });

  it('docker rmi deletes the untagged parents a built image leaves (not with --no-prune), as dockerd lists them', async () => {
    // an intermediate image with children cannot go on its own
    for (const e of engines) {
      const parent = (await e.docker(['image', 'inspect', '-f', '{{.Parent}}', 'lab/tools:1.0'])).stdout;
      const res = await e.docker(['rmi', parent]);
      assert.notEqual(res.exitCode, 0, e.name);
      assert.match(res.stderr, /image has dependent child images/, e.name);
    }

    const [ours, theirs] = await both(['rmi', 'lab/tools:2.0']);
    // Untagged: lab/tools:2.0; Deleted: the RUN image, its layer, the LABEL image
    assert.deepEqual(counts(ours.stdout), { untagged: 1, deleted: 3 });
    assert.deepEqual(counts(ours.stdout), counts(theirs.stdout));

    const [ours2, theirs2] = await both(['rmi', '--no-prune', '127.0.0.1:5391/lab/tools:1.0', 'lab/tools:1.0']);
    // the second name deletes the image and its layer only; its ENV parent stays, now dangling
    assert.deepEqual(counts(ours2.stdout), { untagged: 2, deleted: 2 });
    assert.deepEqual(counts(ours2.stdout), counts(theirs2.stdout));
    assert.deepEqual(await rows(['--filter', 'dangling=true']), ['<none>:<none>', '<none>:<none>']);
    const allRows = await Promise.all(engines.map((e) => e.docker(['images', '-aq'])));
    assert.equal(allRows[0].stdout.split('\n').filter(Boolean).length, allRows[1].stdout.split('\n').filter(Boolean).length, 'images -a: as many images on both');
  });

  it('docker image prune honours label, label!= and until (and dangling=false with -a)', async () => {
    await build('e', 'FROM busybox\nLABEL lab=keep\nRUN echo e > /e\n');
    await build('f', 'FROM busybox\nLABEL lab=drop\nRUN echo f > /f\n');
    const dangling = async () => (await rows(['--filter', 'dangling=true'])).length;
    assert.equal(await dangling(), 4); // d, the ENV step left by --no-prune, e, f

    // everything was made within the hour: nothing is older than until=1h
    let [ours, theirs] = await both(['image', 'prune', '-f', '--filter', 'until=1h']);
    assert.deepEqual(counts(ours.stdout), { untagged: 0, deleted: 0 });
    assert.deepEqual(counts(theirs.stdout), counts(ours.stdout));
    assert.equal(await dangling(), 4);

    [ours, theirs] = await both(['image', 'prune', '-f', '--filter', 'label=lab=drop']);
    assert.deepEqual(counts(ours.stdout), { untagged: 0, deleted: 3 }); // f, its layer, its LABEL parent
    assert.deepEqual(counts(theirs.stdout), counts(ours.stdout));
    assert.equal(await dangling(), 3);

    [ours, theirs] = await both(['image', 'prune', '-f', '--filter', 'label!=lab=keep']);
    // d (image, layer, LABEL parent) and the ENV step (image; then its RUN parent with its layer)
    assert.deepEqual(counts(ours.stdout), { untagged: 0, deleted: 6 });
    assert.deepEqual(counts(theirs.stdout), counts(ours.stdout));
    assert.equal(await dangling(), 1);
    assert.deepEqual(await rows(['--filter', 'label=lab=keep']), ['<none>:<none>']);

    // -a (dangling=false): tagged images too, but only those the label selects
    [ours, theirs] = await both(['image', 'prune', '-a', '-f', '--filter', 'label=lab=keep']);
    assert.deepEqual(counts(ours.stdout), { untagged: 0, deleted: 3 });
    assert.deepEqual(counts(theirs.stdout), counts(ours.stdout));
    assert.deepEqual(await rows(), ['lab/committed:1', 'busybox:latest']);
    assert.deepEqual(await rows(['-a']), ['lab/committed:1', 'busybox:latest']);
  });
});
