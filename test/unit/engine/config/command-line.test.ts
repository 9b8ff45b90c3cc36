import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfigFile, settingsFromFlags } from '../../../../src/engine/config/command-line.js';

describe("engine start's flags as dockerd's settings", () => {
  it('names only the flags given, under the keys of daemon.json', () => {
    assert.deepEqual(settingsFromFlags({}), {});
    assert.deepEqual(
      settingsFromFlags({
        socket: 'run/d.sock',
        host: ['tcp://127.0.0.1:2376'],
        tcp: '127.0.0.1:2375',
        debug: true,
        tlsverify: true,
        tlscacert: 'ca.pem',
        'registry-mirror': ['http://127.0.0.1:5000'],
        'log-opt': ['max-size=10k', 'max-file=3'],
        'default-ulimit': ['nofile=1024:2048', 'nproc=512'],
        bip: '10.1.0.1/24',
      }),
      {
        hosts: [`unix://${path.resolve('run/d.sock')}`, 'tcp://127.0.0.1:2376', 'tcp://127.0.0.1:2375'],
        debug: true,
        tlsverify: true,
        tlscacert: 'ca.pem',
        'registry-mirrors': ['http://127.0.0.1:5000/'],
        'log-opts': { 'max-size': '10k', 'max-file': '3' },
        'default-ulimits': { nofile: { Name: 'nofile', Soft: 1024, Hard: 2048 }, nproc: { Name: 'nproc', Soft: 512, Hard: 512 } },
        bip: '10.1.0.1/24',
      },
    );
  });

  it('names the flag of a bad value', () => {
    assert.throws(() => settingsFromFlags({ 'log-opt': ['max-size'] }), /^AppError: invalid --log-opt: invalid key\/value "max-size": expected key=value/);
    assert.throws(() => settingsFromFlags({ 'default-ulimit': ['nofile=10:5'] }), /invalid --default-ulimit: ulimit soft limit must be less than or equal to hard limit: 10 > 5/);
    assert.throws(() => settingsFromFlags({ 'registry-mirror': ['127.0.0.1:5000'] }), /invalid --registry-mirror: invalid mirror/);
  });

  it('reads no file when the default one is absent, and refuses a --config-file that is', async () => {
    assert.equal(await readConfigFile(undefined, '/nonexistent/daemon.json'), undefined);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-config-'));
    await fs.writeFile(path.join(dir, 'daemon.json'), '{"debug": true}');
    assert.deepEqual(await readConfigFile(undefined, path.join(dir, 'daemon.json')), { path: path.join(dir, 'daemon.json'), text: '{"debug": true}' });
    await fs.rm(dir, { recursive: true });
    await assert.rejects(readConfigFile('/nonexistent/daemon.json'), /unable to configure boxlabd with file \/nonexistent\/daemon.json: ENOENT/);
  });
});
