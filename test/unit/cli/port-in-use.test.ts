// A port the user named that another program holds: `boxlab serve --port N` says so and how out,
// instead of Node's "listen EADDRINUSE".
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { portInUseError } from '../../../src/cli/port-in-use.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const run = promisify(execFile);
const ROOT = REPO_ROOT;

describe('a user-given port already in use', function () {
  this.timeout(60_000);

  it('maps EADDRINUSE on a named port only', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const err = portInUseError(inUse, '127.0.0.1', 8080)!;
    assert.equal(err.message, 'port 8080 on 127.0.0.1 is already in use');
    assert.deepEqual(err.suggestions, ['pick another one: --port 8081, or --port 0 for any free port', "see which program holds it: ss -ltnp 'sport = :8080'"]);
    assert.equal(portInUseError(inUse, '127.0.0.1', 0), undefined);
    assert.equal(portInUseError(new Error('EACCES'), '127.0.0.1', 80), undefined);
  });

  it('boxlab serve --port on a taken port fails with that message', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-cli-port-'));
    try {
      const args = [path.join(ROOT, 'bin', 'run.js'), 'serve', '--no-open', '--port', String(port), '--provider', 'local', '--labs', path.join(ROOT, 'labs')];
      await assert.rejects(run(process.execPath, args, { env: { ...process.env, BOXLAB_HOME: home } }), (e: { stderr: string }) => {
        assert.match(e.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
        assert.match(e.stderr, /--port 0 for any free port/);
        return true;
      });
    } finally {
      holder.close();
      await fs.rm(home, { recursive: true, force: true });
    }
  });
});
