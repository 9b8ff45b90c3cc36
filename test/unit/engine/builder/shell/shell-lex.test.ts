// buildkit's shell expansion vectors (envVarTest, wordsTest), vendored in test/fixtures/buildkit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShellLex } from '../../../../../src/engine/builder/shell/shell-lex.js';

const SHELL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../../test/fixtures/buildkit/frontend/dockerfile/shell');

function envOf(list: string[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of list) {
    const i = e.indexOf('=');
    if (i < 0) env.set(e, '');
    else env.set(e.slice(0, i), e.slice(i + 1));
  }
  return env;
}

describe('shell expansion: buildkit vectors', () => {
  const lex = new ShellLex();

  describe('envVarTest', () => {
    const env = envOf(['PWD=/home', 'SHELL=bash', 'KOREAN=한국어', 'NULL=']);
    const lines = readFileSync(path.join(SHELL, 'envVarTest'), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const parts = line.split('|');
      assert.equal(parts.length, 3, `envVarTest:${index + 1} has three fields`);
      const [platform, source, expected] = [parts[0]!.trim(), parts[1]!.trim(), parts[2]!.trim()];
      if (platform !== 'A' && platform !== 'U') return;
      it(`envVarTest:${index + 1} ${source} -> ${expected || '(empty)'}`, () => {
        if (expected === 'error') assert.throws(() => lex.processWord(source, env));
        else assert.equal(lex.processWord(source, env), expected);
      });
    });
  });

  describe('wordsTest', () => {
    const env: string[] = [];
    const lines = readFileSync(path.join(SHELL, 'wordsTest'), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      if (line.startsWith('ENV ')) {
        env.push(line.slice(3).replace(/^ +/, ''));
        return;
      }
      const snapshot = envOf(env);
      const parts = line.split('|');
      const source = parts[0]!.trim();
      const expected = parts[1]!.replace(/^ +/, '').split(',');
      it(`wordsTest:${index + 1} ${source}`, () => {
        let words: string[];
        try {
          words = lex.processWords(source, snapshot);
        } catch {
          words = ['error'];
        }
        assert.deepEqual(words, expected);
      });
    });
  });

  describe('more than the vectors', () => {
    const env = envOf(['FILE=archive.tar.gz', 'EMPTY=']);
    it('trims prefixes and suffixes (# ## % %%)', () => {
      assert.equal(lex.processWord('${FILE#*.}', env), 'tar.gz');
      assert.equal(lex.processWord('${FILE##*.}', env), 'gz');
      assert.equal(lex.processWord('${FILE%.*}', env), 'archive.tar');
      assert.equal(lex.processWord('${FILE%%.*}', env), 'archive');
    });
    it('uses the backtick escape token when the Dockerfile says so', () => {
      const win = new ShellLex({ escapeToken: '`' });
      assert.equal(win.processWord('C:\\dir`$FILE', env), 'C:\\dir$FILE');
    });
    it('${VAR:?msg} names the variable in its error', () => {
      assert.throws(() => lex.processWord('${EMPTY:?set EMPTY first}', env), /EMPTY: set EMPTY first/);
    });
  });
});
