// Which engine the student's docker reaches: the probe script run by bash against a fake `docker` on
// PATH (it answers per DOCKER_HOST, like the real client), its parser, and the diagnosis in both languages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEngineProbeScript, describeEngine, diagnoseEngines, parseEngineProbe, usesDocker, type EngineProbe } from '../../../src/labs/engine-probe.js';

const LAB = 'unix:///run/boxlab/docker.sock';

describe('engine probe', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-engine-probe-'));
    // the lab's boxlabd holds nothing; Debian's dockerd on the default socket holds two containers;
    // any other address has no engine (the client's "Cannot connect", exit 1)
    writeFileSync(
      path.join(dir, 'docker'),
      `#!/bin/sh
host=\${DOCKER_HOST:-unix:///var/run/docker.sock}
case "$host $1" in
  "${LAB} ps") exit 0 ;;
  "${LAB} version") echo "boxlab 0.1.0" ;;
  "unix:///var/run/docker.sock ps") printf 'aaa\\nbbb\\n' ;;
  "unix:///var/run/docker.sock version") echo " 20.10.24+dfsg1" ;;
  *) echo "Cannot connect to the Docker daemon at $host. Is the docker daemon running?" >&2; exit 1 ;;
esac
`,
    );
    chmodSync(path.join(dir, 'docker'), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** sessionHost: the DOCKER_HOST of the probe's own session (in a vm, what PAM's /etc/environment gives every ssh session) */
  const probe = (shellHost: string | null, loginProfile = '', sessionHost?: string): EngineProbe => {
    const env: NodeJS.ProcessEnv = { PATH: `${dir}:${process.env.PATH}`, HOME: dir };
    if (sessionHost) env.DOCKER_HOST = sessionHost;
    writeFileSync(path.join(dir, '.bash_profile'), loginProfile);
    return parseEngineProbe(execFileSync('bash', ['-c', buildEngineProbeScript(LAB, shellHost)], { env, encoding: 'utf8' }));
  };
  /** the shell of a host with docker.io installed and no DOCKER_HOST, probed once for the tests that only read it */
  let unsetProbe: EngineProbe | undefined;
  const unset = () => (unsetProbe ??= probe(''));

  it('DOCKER_HOST unset in the shell: the client default answers, with its containers', () => {
    const p = unset();
    assert.equal(p.shellHost, undefined);
    assert.deepEqual(p.lab, { containers: 0, version: 'boxlab 0.1.0' });
    assert.deepEqual(p.shell, { containers: 2, version: '20.10.24+dfsg1' });
    assert.equal(p.labAddress, '/run/boxlab/docker.sock');
    assert.notEqual(p.shellAddress, p.labAddress);
  });

  it('a vm: a login shell there (its session environment, then its profile) says what DOCKER_HOST the student has', () => {
    assert.equal(probe(null, `export DOCKER_HOST=${LAB}\n`).shellHost, LAB);
    assert.equal(probe(null, '', LAB).shellHost, LAB);
    assert.equal(probe(null, '').shellHost, undefined);
  });

  it('the local sandbox: the shell boxlab runs in, not the session the probe runs in', () => {
    assert.equal(probe('', '', 'unix:///the/lab/env.sock').shellHost, undefined);
  });

  it('a DOCKER_HOST where nothing answers', () => {
    const p = probe('unix:///tmp/nothing-here.sock');
    assert.equal(p.shellHost, 'unix:///tmp/nothing-here.sock');
    assert.deepEqual(p.shell, {});
  });

  it('diagnoses another engine, in en and zh, with the export line', () => {
    const p = unset();
    const en = diagnoseEngines(p, LAB, 'en')!;
    assert.equal(
      en.message,
      `DOCKER_HOST is not set in your shell, so your docker talks to unix:///var/run/docker.sock (dockerd 20.10.24+dfsg1, 2 container(s)), but this lab checks boxlabd at ${LAB}, which has no containers: your docker may be talking to another engine. Run: export DOCKER_HOST=${LAB} and create your containers again`,
    );
    assert.deepEqual(en.other, { containers: 2, version: '20.10.24+dfsg1' });
    const zh = diagnoseEngines(p, LAB, 'zh')!.message;
    assert.match(zh, /你的 shell 没有设置 DOCKER_HOST/);
    assert.ok(zh.includes(`export DOCKER_HOST=${LAB}`));
  });

  it('says nothing when the shell reaches the lab engine, or the lab engine has containers', () => {
    assert.equal(diagnoseEngines(probe(LAB), LAB, 'en'), undefined);
    const busy: EngineProbe = { labAddress: '/run/boxlab/docker.sock', shellAddress: '/run/docker.sock', lab: { containers: 1 }, shell: { containers: 2 } };
    assert.equal(diagnoseEngines(busy, LAB, 'en'), undefined);
    // the lab's engine did not answer: the check's own message ("Cannot connect ...") already says why
    assert.equal(diagnoseEngines({ ...busy, lab: {} }, LAB, 'en'), undefined);
  });

  it('an address where nothing answers gets its own sentence', () => {
    const m = diagnoseEngines(probe('unix:///tmp/nothing-here.sock'), LAB, 'en')!;
    assert.match(m.message, /^your shell has DOCKER_HOST=unix:\/\/\/tmp\/nothing-here.sock, where no engine answers; /);
  });

  it('tells checks that run docker from the others, and names engines', () => {
    assert.equal(usesDocker({ script: 'docker inspect -f {{.State.Running}} web' }), true);
    assert.equal(usesDocker({ script: 'pid=$(docker inspect -f {{.State.Pid}} web)' }), true);
    assert.equal(usesDocker({ script: 'test -f "$LAB_DIR/dockerfile"' }), false);
    assert.equal(describeEngine('boxlab 0.1.0'), 'boxlabd 0.1.0');
    assert.equal(describeEngine('Docker Engine - Community 28.2.2'), 'dockerd 28.2.2');
    assert.equal(describeEngine(undefined), 'dockerd');
  });
});
