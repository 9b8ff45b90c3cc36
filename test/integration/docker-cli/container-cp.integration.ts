// The real docker CLI against boxlabd: `docker cp` stays inside the container (issue 12).
// - CVE-2018-15664: a swapper exchanges a directory and a symlink to a host canary folder
//   (renameat2 RENAME_EXCHANGE) while copies run in and out: nothing may change in the canary, and no copy
//   out may carry the canary's secret.
// - copies into and out of a volume, a bind and a tmpfs reach what the container sees, running or stopped.
// - a truncated tar and a log the container is still writing fail or succeed cleanly; the engine stays up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../../src/core/exec.js';
import { useEngine } from '../../helpers/engine-suite.js';
import { HostCanary } from '../../helpers/host-canary.js';
import { REPO_ROOT } from '../../helpers/repo-paths.js';

const HOSTILE = path.join(REPO_ROOT, 'test/fixtures/hostile/cp');

/** exchanges <dir>/dir and <dir>/link until killed, as fast as it can: the attacker of CVE-2018-15664 */
const SWAPPER_C = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
int main(int argc, char **argv) {
  if (argc != 2 || chdir(argv[1]) != 0) { perror("chdir"); return 2; }
  for (;;) syscall(SYS_renameat2, AT_FDCWD, "dir", AT_FDCWD, "link", RENAME_EXCHANGE);
}
`;

describe('docker CLI: docker cp stays inside the container', function () {
  this.timeout(300_000);
  const engine = useEngine({ removeAfterEach: 'containers' });
  let canary: HostCanary;

  before(async () => {
    canary = await HostCanary.create();
  });
  after(async () => canary?.remove());

  it('a container swapping a directory and a symlink to the host during copies wins nothing (CVE-2018-15664)', async function () {
    if (!(await run('gcc', ['--version'], { allowFailure: true }).catch(() => undefined))) this.skip();
    const swapper = path.join(engine.dir, 'swapper');
    await fs.writeFile(`${swapper}.c`, SWAPPER_C);
    await run('gcc', ['-O2', '-o', swapper, `${swapper}.c`]);

    await engine.dockerOk(['run', '-d', '--name', 'cp-race', 'busybox', 'sleep', '1000']);
    // /work/dir is a real directory with a harmless file; /work/link points at the canary, a path that
    // means nothing inside the container but is the canary on the host
    await engine.dockerOk(['exec', 'cp-race', 'sh', '-c', `mkdir -p /work/dir && echo container-file > /work/dir/secret && ln -s ${canary.dir} /work/link`]);
    const pid = (await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'cp-race'])).trim();
    const payload = path.join(engine.dir, 'pwned');
    await fs.writeFile(payload, 'written by docker cp\n');

    // the swapper works on the container's files from the host, as the container itself would
    const child = spawn(swapper, [`/proc/${pid}/root/work`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const copiedOut: string[] = [];
    let succeeded = 0;
    try {
      // a fixed count, 4 at a time: each round copies in and copies out through the swapped path
      const rounds = 60;
      for (let i = 0; i < rounds; i += 4) {
        await Promise.all(
          [0, 1, 2, 3].map(async () => {
            const into = await engine.docker(['cp', payload, 'cp-race:/work/dir/']);
            const out = await engine.docker(['cp', 'cp-race:/work/dir/secret', '-']);
            if (into.exitCode === 0) succeeded++;
            if (out.exitCode === 0) succeeded++;
            copiedOut.push(out.stdout);
          }),
        );
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    assert.deepEqual(await canary.changes(), [], 'docker cp wrote on the host');
    assert.equal(copiedOut.filter((o) => o.includes(canary.secret)).length, 0, 'docker cp read a host file');
    assert.ok(succeeded > 0, 'no copy went through: the test proved nothing');
    assert.equal((await engine.docker(['ps'])).exitCode, 0);
  });

  it('copies into and out of a volume, a bind and a tmpfs reach what the container sees', async () => {
    const bind = path.join(engine.dir, 'cp-bind');
    await fs.mkdir(bind);
    await engine.dockerOk(['run', '-d', '--name', 'cp-vol', '-v', 'cp-vol:/data', '-v', `${bind}:/bound`, '-v', `${bind}:/ro:ro`, '--tmpfs', '/scratch', 'busybox', 'sleep', '1000']);
    const local = path.join(engine.dir, 'to-volume.txt');
    await fs.writeFile(local, 'into the volume\n');
    for (const dir of ['/data', '/bound', '/scratch']) {
      await engine.dockerOk(['cp', local, `cp-vol:${dir}/`]);
      assert.equal(await engine.dockerOk(['exec', 'cp-vol', 'cat', `${dir}/to-volume.txt`]), 'into the volume', `copy into ${dir}`);
      await engine.dockerOk(['exec', 'cp-vol', 'sh', '-c', `echo made in ${dir} > ${dir}/made`]);
      assert.match(await engine.dockerOk(['cp', `cp-vol:${dir}/made`, '-']), new RegExp(`made in ${dir}`), `copy out of ${dir}`);
    }
    assert.equal(await fs.readFile(path.join(bind, 'to-volume.txt'), 'utf8'), 'into the volume\n');
    const ro = await engine.docker(['cp', local, 'cp-vol:/ro/']);
    assert.notEqual(ro.exitCode, 0);
    assert.match(ro.stderr, /mounted volume is marked read-only/);

    // "/data/." copies the contents of the volume (the client rebases from the "." Docker sends)
    const contents = path.join(engine.dir, 'data-contents');
    await engine.dockerOk(['cp', 'cp-vol:/data/.', contents]);
    assert.deepEqual((await fs.readdir(contents)).sort(), ['made', 'to-volume.txt']);

    // the kernel's files (procfs, sysfs) are not the container's: only their directory is copied, as in Docker
    const proc = await engine.dockerOk(['cp', 'cp-vol:/proc', '-']);
    assert.ok(proc.length < 4096, `docker cp of /proc copied the kernel's files (${proc.length} bytes)`);

    // stopped: the copy goes into the volume and the bind, not under their mount points in the layer
    await engine.dockerOk(['stop', '-t', '0', 'cp-vol']);
    await fs.writeFile(local, 'while stopped\n');
    await engine.dockerOk(['cp', local, 'cp-vol:/data/']);
    await engine.dockerOk(['cp', local, 'cp-vol:/bound/']);
    assert.equal(await fs.readFile(path.join(bind, 'to-volume.txt'), 'utf8'), 'while stopped\n');
    assert.match(await engine.dockerOk(['cp', 'cp-vol:/data/made', '-']), /made in \/data/);
    await engine.dockerOk(['start', 'cp-vol']);
    assert.equal(await engine.dockerOk(['exec', 'cp-vol', 'cat', '/data/to-volume.txt']), 'while stopped');
  });

  it('a tar that ends inside a 1 GiB entry fails the copy with a clear error, and the engine keeps serving', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'cp-hostile', 'busybox', 'sleep', '1000']);
    const input = await fs.readFile(path.join(HOSTILE, 'truncated-1gib.tar'));
    const res = await engine.docker(['cp', '-', 'cp-hostile:/tmp'], { input });
    assert.notEqual(res.exitCode, 0);
    assert.match(res.stderr, /cannot extract the archive into \/tmp: unexpected EOF/);
    assert.equal((await engine.docker(['ps'])).exitCode, 0, `the engine went away:\n${await engine.logTail(20)}`);
  });

  it('copies a log the container is still writing (its size when the copy opened it)', async () => {
    await engine.dockerOk(['run', '-d', '--name', 'cp-log', 'busybox', 'sh', '-c', 'mkdir -p /var/log; while true; do echo a line of log >> /var/log/x.log; done']);
    await engine.dockerOk(['exec', 'cp-log', 'sh', '-c', 'while [ ! -s /var/log/x.log ]; do :; done']);
    for (let i = 0; i < 5; i++) {
      const dest = path.join(engine.dir, `x-${i}.log`);
      await engine.dockerOk(['cp', 'cp-log:/var/log/x.log', dest]);
      assert.match(await fs.readFile(dest, 'utf8'), /^a line of log\n/);
      await engine.dockerOk(['cp', 'cp-log:/var/log', path.join(engine.dir, `log-dir-${i}`)]);
    }
    assert.equal((await engine.docker(['ps'])).exitCode, 0);
  });
});
