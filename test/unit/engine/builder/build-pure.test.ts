// The builder's pure parts: .dockerignore matching, stage plans, instruction flags, config instructions,
// heredocs, `docker commit --change`, and the explain-build view.
import assert from 'node:assert/strict';
import { buildSteps, formatBuildSteps } from '../../../../src/cli/commands/explain-build.js';
import { commitConfig } from '../../../../src/engine/builder/commit-container.js';
import { applyConfigInstruction } from '../../../../src/engine/builder/config-instructions.js';
import { isIgnored, parseDockerignore } from '../../../../src/engine/builder/dockerignore.js';
import { instructionFromNode, type Instruction } from '../../../../src/engine/builder/instruction.js';
import { parseDockerfile } from '../../../../src/engine/builder/parser/dockerfile-parser.js';
import { planStages, stepCount } from '../../../../src/engine/builder/stage-plan.js';
import { relInRoot } from '../../../../src/engine/builder/copy-sources.js';
import type { ContainerConfig } from '../../../../src/engine/docker-model.js';
import type { TraceEvent } from '../../../../src/engine/trace/trace-event.js';

const instructions = (text: string): Instruction[] => parseDockerfile(text).ast.children.map((n) => instructionFromNode(n));
const one = (text: string) => instructions(text)[0]!;

describe('builder (pure parts)', () => {
  describe('.dockerignore', () => {
    const patterns = parseDockerignore('# comment\n*.md\n!README.md\nnotes/\n**/*.tmp\n/build\n');
    const cases: Array<[string, boolean]> = [
      ['CHANGES.md', true],
      ['README.md', false],
      ['docs/x.md', false], // *.md matches at the top level only
      ['notes/a.txt', true],
      ['notes', true],
      ['a/b/c.tmp', true],
      ['x.tmp', true],
      ['build/out', true],
      ['src/app.js', false],
    ];
    for (const [p, ignored] of cases) it(`${p} is ${ignored ? '' : 'not '}ignored`, () => assert.equal(isIgnored(p, patterns), ignored));
  });

  describe('stages', () => {
    const df = 'ARG BASE=busybox\nFROM $BASE AS build\nRUN true\nFROM busybox\nCOPY --from=build /x /x\n';
    it('splits meta args and stages, and counts the steps as "Step n/total" does', () => {
      const plan = planStages(instructions(df));
      assert.equal(plan.metaArgs.length, 1);
      assert.deepEqual(plan.stages.map((s) => [s.name, s.body.length]), [['build', 1], [undefined, 1]]);
      assert.equal(stepCount(plan), 5);
    });
    it('--target stops after the named stage, and an unknown target is an error', () => {
      assert.equal(planStages(instructions(df), 'BUILD').stages.length, 1);
      assert.throws(() => planStages(instructions(df), 'nope'), /failed to reach build target nope/);
    });
    it('refuses instructions before FROM and duplicate stage names', () => {
      assert.throws(() => planStages(instructions('RUN true\nFROM busybox\n')), /Dockerfile:1: no build stage/);
      assert.throws(() => planStages(instructions('FROM a AS x\nFROM b AS x\n')), /Dockerfile:2: duplicate stage name "x"/);
    });
  });

  describe('instruction flags', () => {
    it('keeps --from, --chown and --chmod', () => {
      assert.deepEqual(one('COPY --from=build --chown=app:app --chmod=0755 a /b').flags, { from: 'build', chown: 'app:app', chmod: '0755' });
    });
    it('rejects BuildKit-only flags with the reason and the line', () => {
      assert.throws(() => instructions('FROM busybox\nRUN --mount=type=cache,target=/x true'), /Dockerfile:2: RUN --mount is not supported by the classic builder/);
      assert.throws(() => instructions('FROM busybox\nRUN --network=none true'), /--network is not supported by the classic builder/);
    });
    it('rejects unknown instructions and unknown flags', () => {
      assert.throws(() => instructions('FROM busybox\nCOPPY a b'), /Dockerfile:2: unknown instruction: COPPY/);
      assert.throws(() => instructions('FROM busybox\nCOPY --form=x a b'), /unknown flag: --form/);
    });
    it('ONBUILD carries its instruction, and refuses ONBUILD FROM', () => {
      assert.equal(one('ONBUILD RUN echo hi').sub?.cmd, 'run');
      assert.throws(() => one('ONBUILD FROM busybox'), /isn't allowed as an ONBUILD trigger/);
    });
  });

  describe('heredocs', () => {
    it('reads the body up to the terminator, and <<- strips tabs', () => {
      const { ast } = parseDockerfile('FROM busybox\nRUN <<EOF\necho one\necho two\nEOF\nRUN cat <<-END > /f\n\tindented\n\tEND\nCMD ["sh"]\n');
      assert.equal(ast.children.length, 4);
      assert.deepEqual(ast.children[1]!.heredocs, [{ name: 'EOF', chomp: false, quoted: false, content: 'echo one\necho two\n' }]);
      assert.equal(ast.children[2]!.heredocs[0]!.content, 'indented\n');
      assert.deepEqual([ast.children[3]!.startLine], [9]);
    });
    it('an unterminated heredoc names its line', () => {
      assert.throws(() => parseDockerfile('FROM busybox\nRUN <<EOF\necho\n'), /Dockerfile:2: unterminated heredoc/);
    });
  });

  describe('config instructions', () => {
    const word = (w: string) => w.replace(/^"|"$/g, '');
    it('ENV, LABEL, EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, SHELL', () => {
      const c: ContainerConfig = { Env: ['PATH=/bin'] };
      for (const line of ['ENV A=1 B=2', 'LABEL x=y', 'EXPOSE 80 53/udp', 'VOLUME /data', 'USER app', 'WORKDIR /srv', 'WORKDIR web', 'STOPSIGNAL SIGINT', 'SHELL ["/bin/bash", "-c"]']) {
        applyConfigInstruction(c, one(line), word);
      }
      assert.deepEqual(c.Env, ['PATH=/bin', 'A=1', 'B=2']);
      assert.deepEqual(c.Labels, { x: 'y' });
      assert.deepEqual(c.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
      assert.deepEqual(c.Volumes, { '/data': {} });
      assert.equal(c.User, 'app');
      assert.equal(c.WorkingDir, '/srv/web');
      assert.equal(c.StopSignal, 'SIGINT');
      assert.deepEqual(c.Shell, ['/bin/bash', '-c']);
    });
    it('CMD shell form uses SHELL; ENTRYPOINT resets an inherited CMD', () => {
      const c: ContainerConfig = { Cmd: ['sh'], Shell: ['/bin/bash', '-c'] };
      applyConfigInstruction(c, one('ENTRYPOINT ["echo"]'), word, { cmdSetInStage: false });
      assert.equal(c.Cmd, null);
      applyConfigInstruction(c, one('CMD echo $HOME'), word);
      assert.deepEqual(c.Cmd, ['/bin/bash', '-c', 'echo $HOME']);
    });
    it('HEALTHCHECK durations in nanoseconds, NONE disables', () => {
      const c: ContainerConfig = {};
      applyConfigInstruction(c, one('HEALTHCHECK --interval=5s --timeout=1m30s --retries=3 CMD wget -q localhost'), word);
      assert.deepEqual(c.Healthcheck, { Test: ['CMD-SHELL', 'wget -q localhost'], Interval: 5e9, Timeout: 90e9, Retries: 3 });
      applyConfigInstruction(c, one('HEALTHCHECK NONE'), word);
      // as dockerd's commit merges it: NONE keeps the parent's durations (healthcheck-instruction.test.ts)
      assert.deepEqual(c.Healthcheck, { Test: ['NONE'], Interval: 5e9, Timeout: 90e9, Retries: 3 });
    });
  });

  it('docker commit --change applies config instructions over the container config', () => {
    const config = commitConfig({ Hostname: 'abc', Image: 'busybox', Env: ['PATH=/bin'], Cmd: ['sh'], Tty: true }, undefined, ['CMD ["cat", "/f"]', 'ENV MODE=prod']);
    assert.deepEqual(config, { Env: ['PATH=/bin', 'MODE=prod'], Cmd: ['cat', '/f'] });
    assert.throws(() => commitConfig({}, undefined, ['RUN echo']), /^AppError: run is not a valid change command$/);
  });

  it('COPY sources cannot leave the context', () => {
    assert.equal(relInRoot('a/../b', 'x'), 'b');
    assert.throws(() => relInRoot('../etc/passwd', 'x'), /forbidden path outside the build context/);
  });

  it('explain-build shows the last build of an image, step by step', () => {
    const ev = (step: string, cached: boolean, layerSize?: number): TraceEvent => ({
      time: '',
      objectId: 'sha256:1',
      step: 'build.step',
      details: { step, instruction: `I ${step}`, cached, imageId: 'sha256:abcdefabcdef00', ...(layerSize !== undefined ? { layerSize } : {}) },
      text: { en: `en ${step}`, zh: `zh ${step}` },
    });
    const events = [ev('1/2', true), ev('2/2', false, 2048), ev('1/2', true), ev('2/2', true, 2048)];
    const steps = buildSteps(events, 'en');
    assert.deepEqual(steps.map((s) => [s.step, s.cached]), [['1/2', true], ['2/2', true]]);
    const table = formatBuildSteps('img', steps, 'en').split('\n');
    assert.match(table[0]!, /^STEP\s+CACHE\s+LAYER\s+IMAGE\s+INSTRUCTION$/);
    assert.match(table[2]!, /^2\/2\s+hit\s+2\.0kB\s+abcdefabcdef\s+I 2\/2$/);
    assert.match(formatBuildSteps('img', [], 'zh'), /没有构建记录/);
  });
});
