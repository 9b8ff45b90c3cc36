// `boxlab lab hint` and `boxlab lab answer` as a student types them (this host as the sandbox, a temp
// progress store and work folder): one more hint at each ask, numbered, in the student's language, the
// last again with a note, --all; an answer refused on a step that asks nothing, then written where the
// predict step's check reads it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BOXLAB_BIN } from '../../helpers/repo-paths.js';

const run = promisify(execFile);

describe('lab hint and lab answer (CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let work: string;
  const boxlab = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BOXLAB_HOME: path.join(dir, 'home'), BOXLAB_LAB_DIR: work, BOXLAB_LABS: path.resolve('test/fixtures/labs/valid'), BOXLAB_PROVIDER: 'local' };
    delete env.BOXLAB_VM;
    return run(process.execPath, [BOXLAB_BIN, ...args], { env });
  };
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-cli-hints-'));
    work = path.join(dir, 'work');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('climbs the hints of a step one ask at a time, in the student language, and --all shows them all', async () => {
    await boxlab('lab', 'start', 'snippets');
    assert.equal((await boxlab('lab', 'hint')).stdout, 'hint 1 of 2: Which folder are you in?\n(boxlab lab hint again for the next one)\n');
    assert.equal((await boxlab('lab', 'hint', '--lang', 'zh')).stdout, '提示 2/2: 运行：cd "$LAB_DIR" 然后 echo hi > greeting.txt\n（这是最后一条提示）\n');
    assert.match((await boxlab('lab', 'hint')).stdout, /^hint 2 of 2: Run: cd "\$LAB_DIR" and echo hi > greeting.txt\n\(that was the last hint\)\n$/);
    const all = JSON.parse((await boxlab('lab', 'hint', '--all', '--json')).stdout) as { hints: string[]; number: number; count: number };
    assert.deepEqual([all.hints.length, all.number, all.count], [2, 2, 2]);
  });

  it('refuses an answer on a step that asks nothing, and writes one where the predict step reads it', async () => {
    await assert.rejects(boxlab('lab', 'answer', '3'), (err: { stderr: string }) => /step "remember" asks for no answer/.test(err.stderr));
    writeFileSync(path.join(work, 'greeting.txt'), 'hi\n');
    await boxlab('lab', 'check');
    writeFileSync(path.join(work, 'greeting.copy'), 'hi\n');
    await boxlab('lab', 'check');
    const saved = await boxlab('lab', 'answer', '--lang', 'zh', ' 1 ');
    assert.equal(saved.stdout, `你的答案已写入 ${work}/answer-guess；现在来验证：boxlab lab check\n`);
    assert.equal(readFileSync(path.join(work, 'answer-guess'), 'utf8'), '1\n');
    assert.match((await boxlab('lab', 'check')).stdout, /✔ right[\s\S]*lab finished!/);
  });
});
