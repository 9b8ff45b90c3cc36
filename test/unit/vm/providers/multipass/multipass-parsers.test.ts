// Multipass JSON parsers on the fixtures built from the documented shapes (see fixtures SOURCE.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseMultipassInfo, parseMultipassList, parseMultipassSnapshots, vmStateOf } from '../../../../../src/vm/providers/multipass/multipass-parsers.js';
import { multipassFixture } from './fixture-path.js';

describe('multipass parsers', () => {
  it('parses list --format json, with and without the newer zone field', () => {
    assert.deepEqual(parseMultipassList(readFileSync(multipassFixture('list.json'), 'utf8')), [
      { name: 'lab1', state: 'Running', ipv4: ['10.76.13.5'], release: 'Ubuntu 24.04 LTS' },
      { name: 'old-vm', state: 'Stopped', ipv4: [], release: 'Ubuntu 22.04 LTS' },
    ]);
  });

  it('parses info --format json: integer memory, string disks and counts', () => {
    const [i] = parseMultipassInfo(readFileSync(multipassFixture('info.json'), 'utf8'));
    assert.equal(i!.name, 'lab1');
    assert.equal(i!.cpus, 2);
    assert.equal(i!.memoryTotal, 2062888960);
    assert.equal(i!.diskTotal, 5116440064);
    assert.equal(i!.snapshotCount, 1);
    assert.equal(i!.release, 'Ubuntu 24.04.1 LTS');
  });

  it('lists snapshots of one instance', () => {
    const text = readFileSync(multipassFixture('list-snapshots.json'), 'utf8');
    assert.deepEqual(parseMultipassSnapshots(text, 'lab1'), ['clean', 'step2']);
    assert.deepEqual(parseMultipassSnapshots(text, 'other'), []);
  });

  it('says what was expected when the output is not the documented shape', () => {
    assert.throws(() => parseMultipassList('launch failed'), /not json/);
    assert.throws(() => parseMultipassList('{}'), /expected a "list" array/);
    assert.throws(() => parseMultipassInfo('{"errors":[]}'), /expected an "info" object/);
  });

  it('maps multipass states to running/stopped/missing', () => {
    assert.equal(vmStateOf('Running'), 'running');
    assert.equal(vmStateOf('Starting'), 'running');
    assert.equal(vmStateOf('Suspended'), 'stopped');
    assert.equal(vmStateOf('Deleted'), 'missing');
  });
});
