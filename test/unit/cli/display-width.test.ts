// Terminal columns of mixed Chinese and English text, and columns aligned by them.
import assert from 'node:assert/strict';
import { alignColumns, displayWidth, padEndColumns } from '../../../src/cli/display-width.js';

describe('display width', () => {
  it('counts a CJK character and fullwidth punctuation as two columns, ASCII as one', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('容器'), 4);
    assert.equal(displayWidth('容器：运行、日志（exec）'), 2 * 10 + 4);
    assert.equal(displayWidth('✔ done'), 6);
    assert.equal(displayWidth('e\u0301'), 1, 'a combining accent takes no column');
  });

  it('pads by columns, never cuts', () => {
    assert.equal(padEndColumns('容器', 6), '容器  ');
    assert.equal(padEndColumns('容器就是进程', 4), '容器就是进程');
  });

  it('aligns a table whose cells mix the two: every column starts at the same terminal column', () => {
    const rows = [
      ['01-a', '容器就是进程：亲手创建命名空间', '30 分钟'],
      ['02-bb', 'Dockerfile、构建缓存与多阶段构建', '40 分钟'],
      ['03-ccc', 'plain', ''],
    ];
    const lines = alignColumns(rows);
    const startOfLast = (line: string, cell: string) => displayWidth(line.slice(0, line.lastIndexOf(cell)));
    assert.equal(startOfLast(lines[0], '30 分钟'), startOfLast(lines[1], '40 分钟'));
    assert.equal(startOfLast(lines[0], '容器'), startOfLast(lines[2], 'plain'));
    assert.equal(lines[2], '03-ccc  plain', 'no trailing spaces');
  });
});
