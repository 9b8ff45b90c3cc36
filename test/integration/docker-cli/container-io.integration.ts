// The real docker CLI against boxlabd, interactively: exec (-it through a pty, -d, -e, -u, -w),
// attach and the Ctrl-P Ctrl-Q detach, run -it.
import assert from 'node:assert/strict';
import { NEW_DOCKER } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { PtyDriver } from './pty-driver.js';

describe('docker CLI: exec and attach', function () {
  this.timeout(60_000);
  const engine = useEngine();
  const ptys: PtyDriver[] = [];
  // busybox ash asks the terminal for the cursor position (ESC[6n) after its prompt and redraws it
  const PROMPT = /\/ # /;
  const pty = (args: string[]) => {
    const p = new PtyDriver(NEW_DOCKER, args, engine.env);
    ptys.push(p);
    return p;
  };

  afterEach(() => ptys.splice(0).forEach((p) => p.kill()));

  it('docker exec with -e, -u, -w, and its exit code', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'io-exec', 'busybox', 'sleep', '1000']);
    const out = await engine.dockerOk(['exec', '-e', 'A=1', '-u', 'nobody', '-w', '/tmp', 'io-exec', 'sh', '-c', 'echo "$A $(id -u) $(pwd)"']);
    assert.equal(out, '1 65534 /tmp');
    const failed = await engine.docker(['exec', 'io-exec', 'sh', '-c', 'echo oops >&2; exit 5']);
    assert.equal(failed.exitCode, 5);
    assert.equal(failed.stderr, 'oops');
    const piped = await engine.dockerOk(['exec', '-i', 'io-exec', 'wc', '-c'], { input: 'twelve bytes' });
    assert.equal(piped.trim(), '12');
  });

  it('docker exec -d runs in the background', async () => {
    await engine.dockerOk(['exec', '-d', 'io-exec', 'sh', '-c', 'sleep 0.3; touch /tmp/made-by-exec-d']);
    const deadline = Date.now() + 5000;
    while ((await engine.docker(['exec', 'io-exec', 'ls', '/tmp/made-by-exec-d'])).exitCode !== 0) {
      assert.ok(Date.now() < deadline, 'exec -d never ran');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('docker exec -d returns once the process runs: a ps straight after it finds the process', async () => {
    await engine.dockerOk(['exec', '-d', 'io-exec', 'sleep', '777']);
    const ps = await engine.dockerOk(['exec', 'io-exec', 'ps', '-o', 'args']);
    assert.match(ps, /sleep 777/);
  });

  it('docker exec -it gives a shell on a tty', async () => {
    const shell = pty(['exec', '-it', 'io-exec', 'sh']);
    await shell.expect(PROMPT);
    shell.write('tty; echo $((6*7))\r');
    await shell.expect(/\/dev\/pts\/\d+\r\n42\r\n/);
    shell.write('exit 3\r');
    assert.equal(await shell.exit(), 3);
  });

  it('docker run -it: a shell, then exit', async () => {
    const shell = pty(['run', '-it', '--rm', '--name', 'io-runit', 'busybox', 'sh']);
    await shell.expect(PROMPT);
    shell.write('echo hello-$((1+1))\r');
    await shell.expect(/hello-2/);
    shell.write('exit\r');
    assert.equal(await shell.exit(), 0);
  });

  it('docker attach, then Ctrl-P Ctrl-Q detaches and leaves the container running', async () => {
    await engine.dockerOk(['run', '-dit', '--name', 'io-attach', 'busybox', 'sh']);
    const attached = pty(['attach', 'io-attach']);
    // keys typed before the CLI has attached wait in the terminal, as they would for a person
    attached.write('echo attached-$((2+3))\r');
    await attached.expect(/attached-5/);
    attached.write('\x10\x11');
    await attached.exit();
    assert.match(attached.text, /read escape sequence/);
    const state = JSON.parse(await engine.dockerOk(['inspect', 'io-attach']))[0].State;
    assert.equal(state.Running, true);
    await engine.dockerOk(['rm', '-f', 'io-attach', 'io-exec']);
  });
});
