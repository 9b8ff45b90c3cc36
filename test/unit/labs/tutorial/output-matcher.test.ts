// Placeholder matching for tutorial outputs, on outputs shaped like the docker CLI's.
import assert from 'node:assert/strict';
import { matchOutput } from '../../../../src/labs/tutorial/output-matcher.js';

describe('tutorial output matcher', () => {
  it('matches ids, times, addresses and numbers through placeholders', () => {
    const expected = ['CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS', '<id>   busybox   "sleep 60"     <time>   Up <n> seconds', 'ip: <ip>'].join('\n');
    const actual = ['CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS', '3f2a9c1b7d4e   busybox   "sleep 60"     2 seconds ago   Up 2 seconds', 'ip: 172.17.0.2', ''].join('\n');
    assert.deepEqual(matchOutput(expected, actual), { ok: true, diff: '' });
  });

  it('lets ... stand for any number of lines, including none', () => {
    assert.equal(matchOutput('start\n...\nend', 'start\na\nb\nend').ok, true);
    assert.equal(matchOutput('start\n...\nend', 'start\nend').ok, true);
    assert.equal(matchOutput('...\nlast', 'x\ny\nlast').ok, true);
  });

  it('treats regex characters in the text literally', () => {
    assert.equal(matchOutput('a.b (1) [x]*', 'a.b (1) [x]*').ok, true);
    assert.equal(matchOutput('a.b', 'axb').ok, false);
  });

  it('shows the first differing line as a diff', () => {
    const r = matchOutput('hello\n<id>\nbye', 'hello\nnot-an-id\nbye');
    assert.equal(r.ok, false);
    assert.equal(r.diff, '  line 2:\n- <id>\n+ not-an-id');
  });

  it('reports missing and extra lines', () => {
    assert.equal(matchOutput('a\nb', 'a').diff, '- b\n  (output ended after 1 line(s))');
    assert.equal(matchOutput('a', 'a\nb').diff, '  unexpected extra output from line 2:\n+ b');
  });
});
