// buildkit's own golden parser cases (vendored in test/fixtures/buildkit): every positive case must dump
// exactly as buildkit's parser does, every negative case must fail.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dumpNode } from '../../../../../src/engine/builder/parser/dockerfile-node.js';
import { parseDockerfile } from '../../../../../src/engine/builder/parser/dockerfile-parser.js';

const PARSER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../../test/fixtures/buildkit/frontend/dockerfile/parser',
);

describe('Dockerfile parser: buildkit conformance', () => {
  describe('positive cases produce buildkit\'s dump', () => {
    for (const name of readdirSync(path.join(PARSER, 'testfiles')).sort()) {
      it(name, () => {
        const dir = path.join(PARSER, 'testfiles', name);
        const text = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
        const expected = readFileSync(path.join(dir, 'result'), 'utf8');
        const result = parseDockerfile(text);
        assert.equal(dumpNode(result.ast) + '\n', expected.replace(/\r\n/g, '\n'));
        // buildkit's test also parses the same file with CRLF line endings
        assert.equal(dumpNode(parseDockerfile(text.replace(/\n/g, '\r\n')).ast) + '\n', expected.replace(/\r\n/g, '\n'));
      });
    }
  });

  describe('negative cases fail with file:line', () => {
    for (const name of readdirSync(path.join(PARSER, 'testfiles-negative')).sort()) {
      it(name, () => {
        const text = readFileSync(path.join(PARSER, 'testfiles-negative', name, 'Dockerfile'), 'utf8');
        assert.throws(() => parseDockerfile(text), (err: Error) => /^Dockerfile:\d+: /.test(err.message));
      });
    }
  });

  it('keeps buildkit\'s line numbers (testfile-line)', () => {
    const text = readFileSync(path.join(PARSER, 'testfile-line', 'Dockerfile'), 'utf8');
    const { ast, warnings } = parseDockerfile(text);
    assert.deepEqual([ast.startLine, ast.endLine], [5, 31]);
    assert.deepEqual(ast.children.map((c) => [c.startLine, c.endLine]), [[5, 5], [11, 12], [17, 31]]);
    assert.equal(warnings.length, 1, 'an empty continuation line warns');
  });
});
