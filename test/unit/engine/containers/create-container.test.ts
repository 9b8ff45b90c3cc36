// Stage 1, create: the fifos in one mkfifo (or from its stock), the snapshot, the network membership, container.json as the
// commit point; a failure before it undoes each step in reverse (recording ports, no root needed).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerPaths } from '../../../../src/engine/containers/container-files.js';
import type { ContainerRecord } from '../../../../src/engine/containers/container-record.js';
import { chooseName, createContainer } from '../../../../src/engine/containers/create-container.js';
import { record } from './fixtures.js';
import { recordingStage } from './stage-deps.js';

describe('create (stage 1)', () => {
  let root: string;
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-create-'))));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  const input = (stage: ReturnType<typeof recordingStage>, over: { name?: string; others?: ContainerRecord[] } = {}) => ({
    body: { Image: 'busybox', Cmd: ['echo', 'hi'] },
    name: over.name,
    others: over.others ?? [],
    filesOf: (id: string) => containerPaths(stage.deps.paths.containers, id),
    mountsOf: async () => [],
  });

  it('makes the four fifos in one mkfifo, prepares the snapshot, joins the network, then writes container.json', async () => {
    const stage = recordingStage(root);
    const { record: r } = await createContainer(stage.deps, input(stage, { name: 'web' }));
    const f = containerPaths(stage.deps.paths.containers, r.Id);
    // the container's four first, then the stock for the next creates (fifo-stock.ts)
    assert.deepEqual(stage.runner.calls[0].slice(0, 7), ['mkfifo', '-m', '600', f.stdin, f.stdout, f.stderr, f.ack]);
    assert.equal(stage.runner.calls.length, 1);
    assert.deepEqual(stage.calls, [`snapshot.prepare ${r.Id}`, 'network.register web']);
    const written = JSON.parse(await fs.readFile(f.record, 'utf8')) as ContainerRecord;
    assert.equal(written.Name, '/web');
    assert.equal(written.State.Status, 'created');
    assert.deepEqual(written.process.args, ['echo', 'hi']);
    assert.equal(written.cgroupsPath, `/boxlab/${r.Id}`);
    assert.deepEqual(stage.tracer.events.map((e) => e.step), ['image.resolve']);
  });

  it('a failure before container.json undoes what was done, in reverse, and leaves no folder', async () => {
    const stage = recordingStage(root);
    stage.deps.resolveMounts = async () => {
      throw new Error('no such volume');
    };
    await assert.rejects(createContainer(stage.deps, input(stage, { name: 'web' })), /no such volume/);
    assert.equal(stage.calls.length, 2);
    assert.match(stage.calls[0], /^snapshot\.prepare /);
    assert.match(stage.calls[1], /^snapshot\.remove /);
    assert.deepEqual(await fs.readdir(stage.deps.paths.containers).catch(() => []), []);
  });

  it('a failed mkfifo stops the create before any snapshot', async () => {
    const stage = recordingStage(root);
    stage.runner.reply('mkfifo', [], { exitCode: 1, stderr: 'mkfifo: cannot create fifo: File exists' });
    await assert.rejects(createContainer(stage.deps, input(stage)), { code: 'COMMAND_FAILED' });
    assert.deepEqual(stage.calls, []);
  });

  it('names: a taken name is a conflict, no name gets a free random one', () => {
    const taken = [record({ Id: 'a'.repeat(64), Name: '/web' })];
    assert.throws(() => chooseName('web', taken), { code: 'ALREADY_EXISTS' });
    assert.match(chooseName(undefined, taken), /^\/[a-z]+_[a-z]+$/);
  });

  it('no image in the request is refused before anything is made', async () => {
    const stage = recordingStage(root);
    await assert.rejects(createContainer(stage.deps, { ...input(stage), body: {} }), { code: 'INVALID_ARGUMENT' });
    assert.deepEqual(stage.runner.calls, []);
  });
});
