// The shim at the process boundary, with a fake `runc` on PATH (no root needed): output reaches the
// json-file log through the fifos, the exit status lands in the exit file, and output written while
// no engine reads is still there for the next one (the ack fifo keeps the shim waiting).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../../src/core/exec.js';
import { ContainerOutput } from '../../../../src/engine/containers/container-output.js';
import { reattachShim, spawnShim } from '../../../../src/engine/containers/container-process.js';
import { parseLogFile } from '../../../../src/engine/containers/json-log.js';
import { buildShimArgs, isShimCmdline, lastRuncError, parseExitFile, SHIM_SCRIPT } from '../../../../src/engine/containers/shim.js';

const FAKE_RUNC = `#!/bin/sh
# records its arguments, writes the pid file like runc, prints, and exits with $FAKE_EXIT
echo "$@" > "$FAKE_ARGS"
while [ $# -gt 0 ]; do case "$1" in --pid-file) echo $$ > "$2"; shift;; esac; shift; done
sleep "\${FAKE_SLEEP:-0}"
echo out
echo err >&2
exit "\${FAKE_EXIT:-0}"
`;

describe('shim process (fake runc on PATH)', () => {
  let dir: string;
  let savedPath: string | undefined;
  const files = () => ({
    runcRoot: path.join(dir, 'runc'),
    bundleDir: dir,
    id: 'c1',
    exitFile: path.join(dir, 'exit'),
    pidFile: path.join(dir, 'init.pid'),
    runcLog: path.join(dir, 'runc.log'),
    stdinFifo: path.join(dir, 'stdin'),
    stdoutFifo: path.join(dir, 'stdout'),
    stderrFifo: path.join(dir, 'stderr'),
    ackFifo: path.join(dir, 'ack'),
    ttyFile: '',
    rows: 24,
    cols: 80,
  });

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-containers-unit-'));
    await fs.mkdir(path.join(dir, 'bin'));
    await fs.writeFile(path.join(dir, 'bin', 'runc'), FAKE_RUNC, { mode: 0o755 });
    const f = files();
    await run('mkfifo', [f.stdinFifo, f.stdoutFifo, f.stderrFifo, f.ackFifo]);
    savedPath = process.env.PATH;
    process.env.PATH = `${path.join(dir, 'bin')}:${savedPath}`;
    process.env.FAKE_ARGS = path.join(dir, 'args');
  });

  afterEach(async () => {
    process.env.PATH = savedPath;
    delete process.env.FAKE_EXIT;
    delete process.env.FAKE_SLEEP;
    delete process.env.FAKE_EXIT_TMP;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('passes values as positional parameters to a constant script', () => {
    const args = buildShimArgs({ ...files(), id: '$(reboot)' });
    assert.equal(args[1], SHIM_SCRIPT);
    assert.ok(!SHIM_SCRIPT.includes('$(reboot)'));
    assert.equal(args.at(-1), '$(reboot)');
  });

  it("passes runc run's arguments as built by runc.ts, and refuses one with a newline (script reads them one a line)", () => {
    const args = buildShimArgs(files());
    const f = files();
    assert.deepEqual(args.slice(-13), ['--root', f.runcRoot, '--log', f.runcLog, '--log-format', 'json', 'run', '--keep', '--pid-file', f.pidFile, '--bundle', f.bundleDir, 'c1']);
    assert.throws(() => buildShimArgs({ ...f, bundleDir: '/a\nb' }), { code: 'INVALID_ARGUMENT' });
  });

  it('runs runc with the bundle, writes the log and the exit status', async () => {
    process.env.FAKE_EXIT = '3';
    const output = new ContainerOutput(path.join(dir, 'log.json'));
    await output.open();
    const proc = spawnShim(files(), output, false);
    await proc.exited;
    await output.close();
    assert.equal(parseExitFile(await fs.readFile(files().exitFile, 'utf8')), 3);
    const entries = parseLogFile(await fs.readFile(path.join(dir, 'log.json'), 'utf8'));
    assert.deepEqual(entries.map((e) => [e.stream, e.log]).sort(), [['stderr', 'err\n'], ['stdout', 'out\n']]);
    const args = (await fs.readFile(path.join(dir, 'args'), 'utf8')).trim().split(' ');
    assert.deepEqual(args.slice(0, 5), ['--root', files().runcRoot, '--log', files().runcLog, '--log-format']);
    assert.ok(args.includes('--keep') && args.at(-1) === 'c1');
  });

  it("takes the exit file's block before runc runs and writes the code into it", async () => {
    // the fake runc records how big exit.tmp is while the container runs
    await fs.writeFile(path.join(dir, 'bin', 'runc'), FAKE_RUNC.replace('sleep', 'wc -c < "$FAKE_EXIT_TMP" > "$FAKE_ARGS.size"; sleep'), { mode: 0o755 });
    process.env.FAKE_EXIT_TMP = `${files().exitFile}.tmp`;
    process.env.FAKE_EXIT = '3';
    const output = new ContainerOutput(path.join(dir, 'log.json'));
    await output.open();
    assert.equal(await spawnShim(files(), output, false).exited, 3);
    await output.close();
    assert.equal((await fs.readFile(path.join(dir, 'args.size'), 'utf8')).trim(), '4');
    assert.equal(await fs.readFile(files().exitFile, 'utf8'), '  3\n');
    assert.equal(parseExitFile('  3\n'), 3);
  });

  it('with no way to write the exit file, exits at once with the code as its status', async function () {
    this.timeout(10_000);
    // a folder where the file should go: the write fails as on a full disk, and no ack will ever come
    await fs.mkdir(`${files().exitFile}.tmp`);
    process.env.FAKE_EXIT = '7';
    const output = new ContainerOutput(path.join(dir, 'log.json'));
    await output.open();
    const proc = spawnShim(files(), output, false);
    assert.equal(await proc.exited, 7);
    await output.close();
    await assert.rejects(fs.stat(files().exitFile), /ENOENT/);
    const entries = parseLogFile(await fs.readFile(path.join(dir, 'log.json'), 'utf8'));
    assert.deepEqual(entries.map((e) => e.log).sort(), ['err\n', 'out\n'], 'the output is all there, and nothing of the shim');
  });

  it('keeps output written while no engine reads, until a new engine reattaches', async () => {
    process.env.FAKE_SLEEP = '0.3';
    const first = new ContainerOutput(path.join(dir, 'log.json'));
    await first.open();
    const proc = spawnShim(files(), first, false);
    proc.release(); // the engine goes away before the container prints anything
    await first.close();
    for (let i = 0; i < 100 && !(await fs.stat(files().exitFile).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 20));
    const shimStillWaits = isShimCmdline(await fs.readFile(`/proc/${proc.shimPid}/cmdline`, 'utf8'), 'c1');
    assert.ok(shimStillWaits, 'the shim waits for an engine to read its output');
    const second = new ContainerOutput(path.join(dir, 'log.json'));
    await second.open();
    const again = reattachShim(proc.shimPid, files(), second, false);
    await again.exited;
    await second.close();
    const entries = parseLogFile(await fs.readFile(path.join(dir, 'log.json'), 'utf8'));
    assert.deepEqual(entries.map((e) => e.log).sort(), ['err\n', 'out\n']);
  });

  it('gives a tty container a terminal of its own (script), with the size asked for', async () => {
    await fs.writeFile(path.join(dir, 'bin', 'runc'), '#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in --pid-file) echo $$ > "$2"; shift;; esac; shift; done\ntty; stty size; exit 6\n', { mode: 0o755 });
    const output = new ContainerOutput(path.join(dir, 'log.json'));
    await output.open();
    const proc = spawnShim({ ...files(), ttyFile: path.join(dir, 'tty'), rows: 33, cols: 101 }, output, false);
    await proc.exited;
    await output.close();
    const text = parseLogFile(await fs.readFile(path.join(dir, 'log.json'), 'utf8')).map((e) => e.log).join('');
    assert.match(text, /^\/dev\/pts\/\d+\r\n33 101\r\n$/);
    assert.equal(parseExitFile(await fs.readFile(files().exitFile, 'utf8')), 6);
    assert.match(await fs.readFile(path.join(dir, 'tty'), 'utf8'), /^\/dev\/pts\/\d+\n$/);
  });

  it('reads why runc failed from its json log', () => {
    const log = '{"level":"warning","msg":"x"}\n{"level":"error","msg":"exec: \\"nope\\": executable file not found in $PATH"}\n';
    assert.equal(lastRuncError(log), 'exec: "nope": executable file not found in $PATH');
    assert.equal(parseExitFile('137\n'), 137);
    assert.equal(parseExitFile(''), undefined);
  });
});
