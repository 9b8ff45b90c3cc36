import assert from 'node:assert/strict';
import { parseCapBounding, parseNofileHardLimit } from '../../../../src/engine/host/process-limits.js';
import { buildSpec } from '../../../../src/engine/containers/oci-spec/build-spec.js';
import { specInput } from '../containers/oci-spec/spec-fixtures.js';

// recorded on the project's machine: the sandbox lacks CAP_SYS_RESOURCE (bit 24) and has a 20000 nofile limit
const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                20000                files
`;
const STATUS = 'Name:\tnode\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\nCapAmb:\t0000000000000000\n';

describe('host facts for the spec builder', () => {
  it('parses the open-files hard limit and the bounding set', () => {
    assert.equal(parseNofileHardLimit(LIMITS), 20000);
    assert.equal(parseNofileHardLimit('Max open files  1024  unlimited  files\n'), undefined);
    const caps = parseCapBounding(STATUS)!;
    assert.equal(caps.length, 40);
    assert.ok(!caps.includes('CAP_SYS_RESOURCE'));
    assert.ok(caps.includes('CAP_CHECKPOINT_RESTORE'));
  });

  it('buildSpec keeps the default nofile limit and --privileged within what the engine has', () => {
    const host = { arch: 'amd64', kernel: '6.1', maxNofile: 20000, capabilities: parseCapBounding(STATUS) };
    const s = buildSpec(specInput({ host, hostConfig: { Privileged: true } }));
    assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 }]);
    assert.equal(s.process.capabilities!.bounding.length, 40);
    const u = buildSpec(specInput({ host, hostConfig: { Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }] } }));
    assert.deepEqual(u.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }]);
  });
});
