// HEALTHCHECK in a Dockerfile, as dockerd 20.10's classic builder reads it: the image config it writes
// (Healthcheck, with the parent's durations kept where the instruction leaves them 0), the history text
// (Go's %q of the config) and its refusals. Expected values recorded from Debian's dockerd 20.10
// (DOCKER_BUILDKIT=0 docker build, docker inspect, docker history --no-trunc).
import assert from 'node:assert/strict';
import { applyConfigInstruction, healthcheckHistory, parseHealthcheck } from '../../../../src/engine/builder/config-instructions.js';
import { instructionFromNode } from '../../../../src/engine/builder/instruction.js';
import { parseDockerfile } from '../../../../src/engine/builder/parser/dockerfile-parser.js';
import type { ContainerConfig } from '../../../../src/engine/docker-model.js';

const one = (line: string) => instructionFromNode(parseDockerfile(`FROM busybox\n${line}\n`).ast.children[1]!);
const word = (w: string) => w;

/** the parent image of the recorded cases: HEALTHCHECK --interval=5s --timeout=3s --retries=2 CMD wget ... */
const parent = () => ({ Healthcheck: { Test: ['CMD-SHELL', 'wget -q -O- http://localhost/ || exit 1'], Interval: 5e9, Timeout: 3e9, Retries: 2 } }) as ContainerConfig;

describe('HEALTHCHECK instruction (dockerd 20.10 classic builder)', () => {
  const built: Array<{ line: string; base: ContainerConfig; config: unknown; history: string }> = [
    {
      line: 'HEALTHCHECK --interval=5s --timeout=3s --retries=2 CMD wget -q -O- http://localhost/ || exit 1',
      base: {},
      config: { Test: ['CMD-SHELL', 'wget -q -O- http://localhost/ || exit 1'], Interval: 5e9, Timeout: 3e9, Retries: 2 },
      history: 'HEALTHCHECK &{["CMD-SHELL" "wget -q -O- http://localhost/ || exit 1"] "5s" "3s" "0s" \'\\x02\'}',
    },
    {
      line: 'HEALTHCHECK --start-period=2s CMD ["true"]',
      base: {},
      config: { Test: ['CMD', 'true'], StartPeriod: 2e9 },
      history: 'HEALTHCHECK &{["CMD" "true"] "0s" "0s" "2s" \'\\x00\'}',
    },
    {
      line: 'HEALTHCHECK NONE',
      base: parent(),
      config: { Test: ['NONE'], Interval: 5e9, Timeout: 3e9, Retries: 2 },
      history: 'HEALTHCHECK &{["NONE"] "0s" "0s" "0s" \'\\x00\'}',
    },
    {
      line: 'HEALTHCHECK CMD true',
      base: parent(),
      config: { Test: ['CMD-SHELL', 'true'], Interval: 5e9, Timeout: 3e9, Retries: 2 },
      history: 'HEALTHCHECK &{["CMD-SHELL" "true"] "0s" "0s" "0s" \'\\x00\'}',
    },
    {
      line: 'HEALTHCHECK cmd echo a   b',
      base: parent(),
      config: { Test: ['CMD-SHELL', 'echo a   b'], Interval: 5e9, Timeout: 3e9, Retries: 2 },
      history: 'HEALTHCHECK &{["CMD-SHELL" "echo a   b"] "0s" "0s" "0s" \'\\x00\'}',
    },
    {
      line: 'HEALTHCHECK --interval=1m30s --retries=10 CMD true',
      base: {},
      config: { Test: ['CMD-SHELL', 'true'], Interval: 90e9, Retries: 10 },
      history: 'HEALTHCHECK &{["CMD-SHELL" "true"] "1m30s" "0s" "0s" \'\\n\'}',
    },
  ];
  for (const c of built) {
    it(`${c.line} -> the image's Healthcheck and history`, () => {
      const config = structuredClone(c.base);
      const history = applyConfigInstruction(config, one(c.line), word);
      assert.deepEqual(config.Healthcheck, c.config);
      assert.equal(history, c.history);
    });
  }

  const refused: Array<[string, RegExp]> = [
    ['HEALTHCHECK --retries=0 CMD true', /^--retries must be at least 1 \(not 0\)$/],
    ['HEALTHCHECK --interval=0s CMD true', /^Interval "interval" cannot be less than 1ms$/],
    ['HEALTHCHECK --timeout=-1s CMD true', /^Interval "timeout" cannot be less than 1ms$/],
    ['HEALTHCHECK FOO true', /^Unknown type "FOO" in HEALTHCHECK \(try CMD\)$/],
    ['HEALTHCHECK CMD', /^Missing command after HEALTHCHECK CMD$/],
    ['HEALTHCHECK NONE x', /^HEALTHCHECK NONE takes no arguments$/],
    ['HEALTHCHECK --interval=abc CMD true', /^time: invalid duration "abc"$/],
    ['HEALTHCHECK --retries=x CMD true', /^strconv.ParseInt: parsing "x": invalid syntax$/],
  ];
  for (const [line, message] of refused) {
    it(`refuses ${line} in dockerd's words`, () => {
      assert.throws(() => parseHealthcheck(one(line)), (err: Error) => message.test(err.message));
    });
  }

  it('refuses --start-interval, which dockerd 20.10 does not know (Docker 25 added it)', () => {
    assert.throws(() => one('HEALTHCHECK --start-interval=1s CMD true'), /unknown flag: --start-interval/);
  });

  it('writes the history of a healthcheck with every field', () => {
    assert.equal(healthcheckHistory({ Test: ['CMD', 'a"b'], Interval: 1500e6, Timeout: 250e6, StartPeriod: 3600e9, Retries: 65 }), 'HEALTHCHECK &{["CMD" "a\\"b"] "1.5s" "250ms" "1h0m0s" \'A\'}');
  });
});
