// Debian's docker 20.10 client (API 1.41 natively, no negotiation down) against boxlabd: the everyday
// commands of the labs, including exec -it through a pty.
import assert from 'node:assert/strict';
import { OLD_DOCKER } from '../../helpers/engine-harness.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { PtyDriver } from './pty-driver.js';

describe('docker CLI 20.10 (Debian) against boxlabd', function () {
  this.timeout(60_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  const docker = (args: string[], input?: string) => engine.dockerOk(args, { cli: 'old', input });

  it('run -d, ps, logs, exec, stop, rm', async () => {
    const id = await docker(['run', '-d', '--name', 'old-web', 'busybox', 'sh', '-c', 'echo started; sleep 1000']);
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.match(await docker(['ps', '--format', '{{.Names}} {{.Status}}']), /^old-web Up /m);
    const deadline = Date.now() + 5000;
    while ((await docker(['logs', 'old-web'])) !== 'started') {
      assert.ok(Date.now() < deadline, 'no log line');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await docker(['exec', 'old-web', 'cat', '/etc/hostname']), id.slice(0, 12));
    assert.equal(await docker(['exec', '-i', 'old-web', 'cat'], 'through stdin'), 'through stdin');
    assert.equal(await docker(['stop', '-t', '1', 'old-web']), 'old-web');
    assert.equal(await docker(['rm', 'old-web']), 'old-web');
  });

  it('run -i with stdin, and the exit code', async () => {
    const res = await engine.docker(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; exit 9'], { cli: 'old', input: 'piped\n' });
    assert.equal(res.stdout, 'piped');
    assert.equal(res.exitCode, 9);
  });

  it('exec -it through a pty', async () => {
    await docker(['run', '-d', '--name', 'old-tty', 'busybox', 'sleep', '1000']);
    const shell = new PtyDriver(OLD_DOCKER, ['exec', '-it', 'old-tty', 'sh'], engine.env);
    try {
      await shell.expect(/\/ # /);
      shell.write('echo $((7*6))\r');
      await shell.expect(/\r\n42\r\n/);
      shell.write('exit\r');
      assert.equal(await shell.exit(), 0);
    } finally {
      shell.kill();
    }
  });

  it('volume and image commands', async () => {
    assert.equal(await docker(['volume', 'create', 'old-vol']), 'old-vol');
    assert.match(await docker(['volume', 'ls']), /^local\s+old-vol$/m);
    assert.equal(await docker(['volume', 'rm', 'old-vol']), 'old-vol');
    assert.match(await docker(['images']), /^busybox\s+latest\s+[0-9a-f]{12}\s/m);
    const res = await engine.docker(['inspect', 'nosuch'], { cli: 'old' });
    assert.match(res.stderr, /No such object: nosuch/);
  });
});
