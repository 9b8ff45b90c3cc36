// Dynamic hints in both languages: a check's hint with match= pairs with the other language's hint of
// the same check by order, so each language matches its own language's output (fail "EN" "中文"); a
// hint without its counterpart is still a problem at its line.
import assert from 'node:assert/strict';
import { selectHint } from '../../../src/labs/check-engine.js';
import { formatProblem, type Hint } from '../../../src/labs/lab-model.js';
import { checkLabSource } from '../../../src/labs/lab-validator.js';

const F = '```';
const lab = (hints: string[]) =>
  [
    '---', 'id: hints', 'title: {en: A, zh: 甲}', '---',
    '## step s', ':::en S', 'x', ':::', ':::zh 乙', 'x', ':::',
    `${F}check c`, 'test -f "$LAB_DIR/x" || fail "no x yet" "还没有 x"', F,
    ...hints,
    `${F}solution`, 'touch "$LAB_DIR/x"', F,
  ].join('\n');

describe('dynamic hints match each language\'s own output', () => {
  it('accepts an en and a zh hint of one check with different match texts', () => {
    const { problems } = checkLabSource(lab([
      `${F}hint check=c match="no x yet" lang=en`, 'Create x.', F,
      `${F}hint check=c match="还没有 x" lang=zh`, '创建 x。', F,
    ]), 'labs/hints/lab.md');
    assert.deepEqual(problems.map(formatProblem), []);
  });

  it('still names a match hint without its counterpart in the other language, at its line', () => {
    const { problems } = checkLabSource(lab([
      `${F}hint check=c match="no x yet" lang=en`, 'Create x.', F,
      `${F}hint check=c match="还没有 x" lang=zh`, '创建 x。', F,
      `${F}hint check=c match="denied" lang=en`, 'Run as root.', F,
    ]), 'labs/hints/lab.md');
    assert.deepEqual(problems.map(formatProblem), [
      'labs/hints/lab.md:21: step "s": the hint for check "c" matching "denied" has no zh version (a check\'s hints with match= pair up in order, one per language)',
    ]);
  });

  it('selectHint picks the zh hint by the zh text of a zh run', () => {
    const pos = { file: 'lab.md', line: 1 };
    const hints: Hint[] = [
      { lang: 'en', text: 'Create x.', check: 'c', match: 'no x yet', pos },
      { lang: 'zh', text: '创建 x。', check: 'c', match: '还没有 x', pos },
      { lang: 'zh', text: '看看检查。', check: 'c', pos },
    ];
    assert.equal(selectHint(hints, 'c', '还没有 x\n', 'zh'), '创建 x。');
    assert.equal(selectHint(hints, 'c', 'no x yet\n', 'en'), 'Create x.');
    assert.equal(selectHint(hints, 'c', '别的\n', 'zh'), '看看检查。');
  });
});
