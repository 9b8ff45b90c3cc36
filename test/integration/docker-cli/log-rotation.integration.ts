// The real docker CLI against boxlabd: container logs kept by the json-file driver with rotation
// (--log-opt max-size/max-file), read back by `docker logs` (and -f) across the rotated files, kept
// through an engine restart; --log-driver none; the errors of unknown drivers and options.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NEW_DOCKER } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { waitFor } from '../../helpers/wait-for.js';

/** a shell loop printing lines "line <n> xxx..." (about 100 bytes each) from <from> to <to> - 1 */
const printLines = (from: number, to: number) => `i=${from}; while [ $i -lt ${to} ]; do echo "line $i ${'x'.repeat(90)}"; i=$((i+1)); done`;
/** the numbers of the "line <n>" lines of some output */
const numbers = (text: string) => text.split('\n').filter((l) => l.startsWith('line ')).map((l) => Number(l.split(' ')[1]));
const consecutive = (ns: number[]) => ns.every((n, i) => i === 0 || n === ns[i - 1] + 1);

describe('docker CLI: container log rotation (json-file)', function () {
  this.timeout(120_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const unique = () => randomBytes(3).toString('hex');
  const inspect = async (name: string) => JSON.parse(await engine.dockerOk(['inspect', name]))[0];
  /** the log files of a container: name -> size */
  const logFiles = async (id: string) => {
    const dir = path.join(engine.root, 'containers', id);
    const names = (await fs.readdir(dir)).filter((n) => n.startsWith(`${id}-json.log`)).sort();
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await fs.stat(path.join(dir, n))).size] as const)));
  };

  it('max-size=10k max-file=3 keeps at most 3 files of about 10k; docker logs shows the newest lines in order', async () => {
    const name = `rot-${unique()}`;
    await engine.dockerOk(['run', '--name', name, '--log-opt', 'max-size=10k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', printLines(0, 2000)]);
    const info = await inspect(name);
    assert.deepEqual(info.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10k' } });
    assert.equal(info.LogPath, path.join(engine.root, 'containers', info.Id, `${info.Id}-json.log`));
    const files = await logFiles(info.Id);
    assert.deepEqual(Object.keys(files), [`${info.Id}-json.log`, `${info.Id}-json.log.1`, `${info.Id}-json.log.2`]);
    // one record is about 160 bytes: a file passes max-size (10000 bytes) by one record at most
    for (const [file, size] of Object.entries(files)) assert.ok(size <= 10_000 + 200, `${file} has ${size} bytes`);

    const logs = numbers(await engine.dockerOk(['logs', name]));
    assert.equal(logs.at(-1), 1999);
    assert.ok(consecutive(logs), 'lines in order, none twice');
    assert.ok(logs[0] > 1000 && logs.length < 250, `only the newest lines are kept (first ${logs[0]}, ${logs.length} lines)`);
    assert.deepEqual(numbers(await engine.dockerOk(['logs', '--tail', '3', name])), [1997, 1998, 1999]);
  });

  it('docker logs -f started before the output sees every line, through the rotations', async () => {
    const name = `rotf-${unique()}`;
    await engine.dockerOk(['run', '-d', '--name', name, '--log-opt', 'max-size=5k', '--log-opt', 'max-file=2', 'busybox', 'sh', '-c', `sleep 2; ${printLines(0, 1500)}`]);
    const follower = spawn(NEW_DOCKER, ['logs', '-f', name], { env: { ...process.env, ...engine.env } });
    let out = '';
    follower.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => follower.once('exit', resolve));
    assert.equal(code, 0);
    const seen = numbers(out);
    assert.equal(seen.length, 1500, `saw ${seen.length} lines`);
    assert.ok(consecutive(seen) && seen[0] === 0, 'every line once, in order');
    const id = (await inspect(name)).Id;
    assert.equal(Object.keys(await logFiles(id)).length, 2);
  });

  it('rotation goes on after an engine restart, with the same limits', async () => {
    const name = `rotr-${unique()}`;
    // half the output, then wait for /go (made by docker exec after the restart), then the rest
    const script = `${printLines(0, 300)}; while [ ! -e /go ]; do sleep 0.1; done; ${printLines(300, 1000)}`;
    await engine.dockerOk(['run', '-d', '--name', name, '--log-opt', 'max-size=8k', '--log-opt', 'max-file=2', 'busybox', 'sh', '-c', script]);
    const id = (await inspect(name)).Id;
    await waitFor('line 299 in the logs before the restart', async () => numbers(await engine.dockerOk(['logs', '--tail', '1', name])).includes(299), { timeoutMs: 10_000, intervalMs: 100 });
    await engine.restartEngine();
    await engine.dockerOk(['exec', name, 'touch', '/go']);
    assert.equal((await engine.dockerOk(['wait', name])).trim(), '0');
    const files = await logFiles(id);
    assert.deepEqual(Object.keys(files), [`${id}-json.log`, `${id}-json.log.1`]);
    for (const [file, size] of Object.entries(files)) assert.ok(size <= 8_000 + 200, `${file} has ${size} bytes`);
    const logs = numbers(await engine.dockerOk(['logs', name]));
    assert.equal(logs.at(-1), 999);
    assert.ok(consecutive(logs) && logs[0] > 300, `newest lines in order (first ${logs[0]})`);
  });

  it('a container with no --log-opt shows LogConfig as dockerd does (json-file, no options: the engine cap is not written in)', async () => {
    const name = `rotd-${unique()}`;
    await engine.dockerOk(['create', '--name', name, 'busybox', 'true']);
    assert.deepEqual((await inspect(name)).HostConfig.LogConfig, { Type: 'json-file', Config: {} });
  });

  it('--log-driver none keeps no log: docker run still shows the output, docker logs says why it cannot', async () => {
    const name = `rotn-${unique()}`;
    assert.equal((await engine.dockerOk(['run', '--name', name, '--log-driver', 'none', 'busybox', 'echo', 'hello'])).trim(), 'hello');
    const info = await inspect(name);
    assert.deepEqual(info.HostConfig.LogConfig, { Type: 'none', Config: {} });
    assert.equal(info.LogPath, '');
    assert.deepEqual(await logFiles(info.Id), {});
    const res = await engine.docker(['logs', name]);
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /Error response from daemon: configured logging driver does not support reading/);
  });

  it("refuses unknown drivers at create and bad option values at start, with dockerd's words", async () => {
    const refused = async (args: string[], message: RegExp) => {
      const res = await engine.docker(args);
      assert.notEqual(res.exitCode, 0, args.join(' '));
      assert.match(res.stderr, message);
    };
    await refused(['create', '--log-driver', 'foo', 'busybox', 'true'], /Error response from daemon: error looking up logging plugin foo: plugin "foo" not found/);
    await refused(['create', '--log-opt', 'colour=blue', 'busybox', 'true'], /Error response from daemon: unknown log opt 'colour' for json-file log driver/);
    assert.equal((await engine.dockerOk(['ps', '-aq'])).trim(), '', 'nothing was created');
    const name = `rotb-${unique()}`;
    await engine.dockerOk(['create', '--name', name, '--log-opt', 'max-size=lots', 'busybox', 'true']);
    await refused(['start', name], /Error response from daemon: failed to initialize logging driver: invalid size: 'lots'/);
  });
});
