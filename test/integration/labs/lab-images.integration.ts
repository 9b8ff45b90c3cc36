// A lab's `needs: {images: [...]}` are there before its setup: `boxlab lab test` (and `lab start`) bake
// the ones the engine lacks offline and `docker load` them into the sandbox's engine; a name no recipe
// makes stops the lab before its setup, naming the image and the fix, in the student's language.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useEngine } from '../../helpers/engine-suite.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fence = '```';

/** a one-step lab whose check and solution use the image; its setup fails if the image is not there yet */
function imageLab(id: string, image: string): string {
  return `---
id: ${id}
title: {en: "Needs ${image}", zh: "需要 ${image}"}
description: {en: "a lab that needs an image", zh: "需要一个镜像的实验"}
duration: 5m
level: beginner
tags: [test]
needs: {engine: true, images: [${image}]}
---

:::en
Uses ${image}.
:::
:::zh
使用 ${image}。
:::

${fence}setup
docker image inspect ${image} >/dev/null
mkdir -p "$LAB_DIR"
${fence}

${fence}teardown
docker rm -f ${id}-c >/dev/null 2>&1 || true
rm -rf "$LAB_DIR"
${fence}

## step run-it

:::en Run it
Create a container named ${id}-c from ${image}.
:::
:::zh 运行它
用 ${image} 创建一个名为 ${id}-c 的容器。
:::

${fence}check made timeout=20s
docker inspect ${id}-c >/dev/null 2>&1 || fail "no container ${id}-c yet" "还没有容器 ${id}-c"
${fence}

${fence}solution
docker create --name ${id}-c ${image} true
${fence}
`;
}

describe('labs: the images a lab needs', function () {
  this.timeout(300_000);
  const engine = useEngine({ busybox: false });
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'boxlab-lab-images-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  async function labTest(id: string, image: string, lang = 'en'): Promise<{ code: number; stdout: string; stderr: string }> {
    const dir = path.join(tmp, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'lab.md'), imageLab(id, image));
    try {
      const r = await promisify(execFile)('node', [path.join(repo, 'bin/run.js'), 'lab', 'test', dir, '--provider', 'local', '--lang', lang], {
        env: { ...process.env, ...engine.env, BOXLAB_DOCKER_HOST: engine.env.DOCKER_HOST, BOXLAB_LAB_DIR: path.join(tmp, `${id}-work`), BOXLAB_HOME: path.join(tmp, `${id}-home`) },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('bakes and loads a missing image before the setup runs, then leaves it for the next lab', async () => {
    assert.notEqual(await engine.docker(['image', 'inspect', 'busybox:latest']).then((r) => r.exitCode), 0, 'the engine should start without busybox');
    const r = await labTest('li-bake', 'busybox');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /baking the images this lab needs offline from Debian packages: busybox/);
    assert.equal((await engine.docker(['image', 'inspect', 'busybox:latest'])).exitCode, 0);
    const again = await labTest('li-again', 'busybox');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.doesNotMatch(again.stderr, /baking/, 'an image the engine has is not baked again');
  });

  it('stops before the setup when no recipe makes the image, naming it and the fix, in Chinese for a zh student', async () => {
    const r = await labTest('li-unknown', 'l-no-such-image:1', 'zh');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /实验 "li-unknown" 需要镜像 l-no-such-image:1，引擎里没有/);
    assert.match(r.stderr, /docker load -i/);
  });
});
