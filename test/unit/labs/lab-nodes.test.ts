// The multi-node lab format (ADR 0016): which node each block runs on, and the single-node format left as
// it was: every lab of labs/ still validates with no problem and the parsed form of a single-node one carries
// none of the multi-node keys (the goldens of test/fixtures/labs/valid keep their exact JSON).
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, labScripts, nodeOf, stepSolutions } from '../../../src/labs/lab-model.js';
import { parseLab } from '../../../src/labs/lab-parser.js';
import { checkLabSource } from '../../../src/labs/lab-validator.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const MULTI_NODE_KEYS = ['nodes', 'network', 'node', 'setups', 'teardowns', 'solutions'];

const head = ['---', 'id: n', 'title: {en: N, zh: N}', 'description: {en: d, zh: d}'];
const step = ['## step s', ':::en S', 'x', ':::', ':::zh S', 'x', ':::'];

describe('multi-node labs: the format', () => {
  it('runs a block without node= on the first node, and nothing names a node in a single-node lab', async () => {
    const { lab } = checkLabSource(await fs.readFile(path.join(repo, 'test/fixtures/labs/valid/two-nodes/lab.md'), 'utf8'), 'two-nodes/lab.md');
    assert.deepEqual(lab.nodes?.map((n) => [n.name, n.engine, n.memoryMiB]), [['manager1', 'docker', 1536], ['worker1', 'docker', 1536], ['plain', 'boxlabd', 1024]]);
    assert.deepEqual(labScripts(lab, 'setup').map((s) => nodeOf(lab, s)), ['manager1', 'worker1']);
    assert.deepEqual(labScripts(lab, 'teardown').map((s) => nodeOf(lab, s)), ['worker1']);
    const [join] = lab.steps;
    assert.deepEqual(join.checks.map((c) => nodeOf(lab, c)), ['manager1', 'worker1']);
    assert.deepEqual(stepSolutions(join).map((s) => nodeOf(lab, s)), ['manager1', 'worker1']);
    assert.deepEqual(join.snippets.map((s) => `${s.lang}:${nodeOf(lab, s)}`), ['en:manager1', 'en:worker1', 'zh:manager1', 'zh:worker1']);
    assert.equal(nodeOf({}, { node: undefined }), undefined);
  });

  it('names the file and line of a node= in a lab that declares no nodes, and of an unknown node', () => {
    const single = parseLab([...head, '---', ...step, '```check c node=worker1', 'true', '```', '```solution', 'true', '```'].join('\n'), 'single.md');
    assert.deepEqual(checkLabSource([...head, '---', ...step, '```check c node=worker1', 'true', '```', '```solution', 'true', '```'].join('\n'), 'single.md').problems.map(formatProblem), [
      'single.md:13: step "s": check "c" runs on node "worker1", but this is a single-node lab; declare the lab\'s nodes in the front matter (nodes: [{name: worker1, engine: docker}, ...] and network:) or remove node=',
    ]);
    assert.equal(single.lab.nodes, undefined);
    const multi = [...head, 'nodes: [{name: manager1, engine: docker}, {name: worker1, engine: docker}]', 'network: l99-n', '---', ...step, '```check c node=worker2', 'true', '```', '```solution node=worker1', 'true', '```'].join('\n');
    assert.deepEqual(checkLabSource(multi, 'multi.md').problems.map(formatProblem), [
      'multi.md:15: step "s": check "c" runs on unknown node "worker2"; did you mean "worker1"? the lab\'s nodes: manager1, worker1',
    ]);
  });

  it('asks a multi-node lab for its lab network, and allows one setup per node', () => {
    const noNet = [...head, 'nodes: [{name: a}]', '---', '```setup', 'true', '```', '```setup node=a', 'true', '```', ...step, '```check c', 'true', '```', '```solution', 'true', '```'].join('\n');
    assert.deepEqual(checkLabSource(noNet, 'x.md').problems.map(formatProblem), [
      'x.md:5: a multi-node lab names its lab network, the one its nodes share: add e.g. network: l20-swarm',
      'x.md:10: second setup block for node "a"; a lab has one per node (first at line 7)',
    ]);
  });

  it('leaves every single-node lab of labs/ as it was: no problem, none of the multi-node keys (the multi-node labs: no problem)', async () => {
    const root = path.join(repo, 'labs');
    const dirs = readdirSync(root).filter((d) => existsSync(path.join(root, d, 'lab.md')));
    assert.ok(dirs.length >= 20, `labs found: ${dirs.length}`);
    for (const d of dirs) {
      const rel = `labs/${d}/lab.md`;
      const { lab, problems } = checkLabSource(await fs.readFile(path.join(repo, rel), 'utf8'), rel);
      assert.deepEqual(problems.map(formatProblem), [], rel);
      if (lab?.nodes) continue;
      const keys = new Set<string>();
      JSON.stringify(lab, (k, v) => (keys.add(k), v));
      assert.deepEqual(MULTI_NODE_KEYS.filter((k) => keys.has(k)), [], `${rel} has multi-node keys`);
    }
  });
});
