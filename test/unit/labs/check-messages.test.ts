// The say/fail rule: a check's message printed with a bare echo (one language) is found with its line,
// a message through say/fail or data for a file or a pipe is not; the validator reports it at
// file:line with the fix, in every lab.
import assert from 'node:assert/strict';
import { bareMessages } from '../../../src/labs/check-messages.js';
import { formatProblem } from '../../../src/labs/lab-model.js';
import { checkLabSource } from '../../../src/labs/lab-validator.js';

describe('check messages in the student language (say/fail rule)', () => {
  it('finds the messages a check prints with echo or printf, with their line', () => {
    const script = [
      'test -f "$LAB_DIR/box.pid" || { echo "no \\$LAB_DIR/box.pid yet"; exit 1; }',
      'pid=$(cat "$LAB_DIR/box.pid")',
      'echo "host PID $pid is PID 1 in the box"',
      "printf 'the box has %s processes\\n' \"$n\"",
      'echo ok',
    ].join('\n');
    assert.deepEqual(bareMessages(script), [
      { line: 0, text: '"no \\$LAB_DIR/box.pid yet"' },
      { line: 2, text: '"host PID $pid is PID 1 in the box"' },
      { line: 3, text: "'the box has %s processes\\n' \"$n\"" },
      { line: 4, text: 'ok' },
    ]);
  });

  it('leaves say/fail, data written to files or pipes, comments, variables alone', () => {
    const script = [
      'test -f x || fail "no x yet" "还没有 x"',
      'say "all good" "都好"',
      'echo 64M > "$MEM/memory.max"',
      'echo "$pid" | grep -q 1',
      'x=$(echo "hello world" | tr a-z A-Z)',
      '# echo "a comment"',
      'echo "$want"',
      'echo "${got:-} $(cat f)"',
      'echo $$ >> "$d/cgroup.procs"',
      "printf '%s\\n' \"$a\" \"$b\"",
    ].join('\n');
    assert.deepEqual(bareMessages(script), []);
  });

  it('an echo to stderr is still a message the student reads', () => {
    assert.deepEqual(bareMessages('echo "cannot reach the registry" >&2; exit 1'), [{ line: 0, text: '"cannot reach the registry" >&2' }]);
  });

  const lab = (id: string) =>
    [
      '---', `id: ${id}`, 'title: {en: A, zh: 甲}', '---',
      '## step s', ':::en S', 'x', ':::', ':::zh 乙', 'x', ':::',
      '```check c', 'test -f "$LAB_DIR/x" || { echo "no x yet"; exit 1; }', '```',
      '```solution', 'touch "$LAB_DIR/x"', '```',
    ].join('\n');

  it('the validator names the check, the line of the echo and the fix', () => {
    const { problems } = checkLabSource(lab('new-lab'), 'labs/new-lab/lab.md');
    assert.deepEqual(problems.map(formatProblem), [
      'labs/new-lab/lab.md:13: step "s": check "c" prints ""no x yet"" in one language; write say "English" "中文" (or fail "English" "中文" to fail with it), so a student reads it in theirs',
    ]);
  });
});
