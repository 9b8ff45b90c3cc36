// Progressive hints: the static hints of a language in the order written, one more at each ask, the
// last again past the end, all at once with --all; the count survives in the progress store and a
// reset of the step forgets it.
import assert from 'node:assert/strict';
import { askHint, seenHints, staticHints } from '../../../src/labs/hint-ladder.js';
import type { Hint } from '../../../src/labs/lab-model.js';
import { parseLab } from '../../../src/labs/lab-parser.js';
import { ProgressStore } from '../../../src/labs/progress-store.js';

const pos = { file: 'x.md', line: 1 };
const hint = (lang: 'en' | 'zh', text: string, check?: string): Hint => (check ? { lang, text, check, pos } : { lang, text, pos });

describe('progressive hints', () => {
  const ladder = staticHints([hint('en', 'look at /proc'), hint('zh', '看看 /proc'), hint('en', 'when failed', 'c'), hint('en', 'nudge 2'), hint('en', 'the command')], 'en');

  it('the static hints of one language, in the order written; dynamic ones left out', () => {
    assert.deepEqual(ladder, ['look at /proc', 'nudge 2', 'the command']);
  });

  it('one more at each ask, numbered, the last again past the end', () => {
    assert.deepEqual(askHint(ladder, 0), { hints: ['look at /proc'], number: 1, count: 3, shown: 1 });
    assert.deepEqual(askHint(ladder, 1), { hints: ['nudge 2'], number: 2, count: 3, shown: 2 });
    assert.deepEqual(askHint(ladder, 2), { hints: ['the command'], number: 3, count: 3, shown: 3 });
    assert.deepEqual(askHint(ladder, 3), { hints: ['the command'], number: 3, count: 3, shown: 3 });
  });

  it('--all shows every hint; a step without hints has none', () => {
    assert.deepEqual(askHint(ladder, 0, true), { hints: ladder, number: 3, count: 3, shown: 3 });
    assert.deepEqual(askHint([], 0), { hints: [], number: 0, count: 0, shown: 0 });
    assert.deepEqual(seenHints(ladder, 2), ['look at /proc', 'nudge 2']);
  });

  it('the parser keeps several hint blocks of a section in their order', () => {
    const src = ['---', 'id: x', 'title: {en: a, zh: b}', '---', '## step s', ':::en T', '```hint', 'first', '```', 'text', '```hint', 'second', '```', ':::'].join('\n');
    assert.deepEqual(staticHints(parseLab(src, 'x.md').lab.steps[0].hints, 'en'), ['first', 'second']);
  });

  it('the store remembers how many were shown per step, and a reset of the step forgets it', () => {
    const store = new ProgressStore(':memory:');
    store.start('ana', 'lab1');
    assert.equal(store.hintsShown('ana', 'lab1', 's1'), 0);
    store.recordHintsShown('ana', 'lab1', 's1', 2);
    store.recordHintsShown('ana', 'lab1', 's2', 1);
    assert.equal(store.hintsShown('ana', 'lab1', 's1'), 2);
    assert.equal(store.hintsShown('bob', 'lab1', 's1'), 0);
    store.reset('ana', 'lab1', 1, ['s2']);
    assert.deepEqual([store.hintsShown('ana', 'lab1', 's1'), store.hintsShown('ana', 'lab1', 's2')], [2, 0]);
    store.close();
  });
});
