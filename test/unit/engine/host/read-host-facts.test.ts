import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readHostFacts } from '../../../../src/engine/host/host-facts.js';

/** a fake /etc, /sys, /proc/self and bin/ with a runc and a docker-init that print recorded outputs */
async function fakeHost(v2: boolean): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'boxlab-hostfacts-'));
  const write = async (rel: string, text: string, mode = 0o644) => {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), text, { mode });
  };
  await write('etc/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\n');
  await write('proc/self/limits', 'Max open files            1024                 4096                 files\n');
  await write('proc/self/status', 'CapBnd:\t00000000a80425fb\n');
  if (v2) {
    await write('sys/fs/cgroup/cgroup.controllers', 'cpuset cpu memory pids\n');
    await write('sys/fs/cgroup/cpuset.cpus.effective', '0-3\n');
    await write('sys/fs/cgroup/cpuset.mems.effective', '0-1\n');
  } else {
    await write('sys/fs/cgroup/cpuset/cpuset.cpus', '0,2\n');
    await write('sys/fs/cgroup/cpuset/cpuset.mems', '0\n');
  }
  await write('bin/runc', '#!/bin/sh\nprintf "runc version 9.9.9\\ncommit: v9.9.9-0-gabc\\nspec: 1.0.2\\n"\n', 0o755);
  await write('bin/docker-init', '#!/bin/sh\necho "tini version 0.19.0 - git.de40ad0"\n', 0o755);
  await fs.mkdir(path.join(root, 'dev'));
  return root;
}

describe('readHostFacts (a fake host in a temp dir)', () => {
  const roots: string[] = [];
  after(async () => {
    for (const r of roots) await fs.rm(r, { recursive: true, force: true });
  });
  const read = async (v2: boolean) => {
    const root = await fakeHost(v2);
    roots.push(root);
    return readHostFacts({ etc: `${root}/etc`, sys: `${root}/sys`, procSelf: `${root}/proc/self`, dev: `${root}/dev`, runc: `${root}/bin/runc`, initCandidates: [`${root}/bin/docker-init`] });
  };

  it('cgroup v1: the root cpuset, the OS, the limits, the runc and init versions the programs print', async () => {
    const host = await read(false);
    assert.equal(host.cgroupVersion, '1');
    assert.deepEqual([host.cpusetCpus, host.cpusetMems], ['0,2', '0']);
    assert.deepEqual([host.operatingSystem, host.osVersion], ['Debian GNU/Linux 12 (bookworm)', '12']);
    assert.equal(host.maxNofile, 4096);
    assert.equal(host.capabilities?.length, 14);
    assert.deepEqual(host.runc, { version: '9.9.9', commit: 'v9.9.9-0-gabc' });
    assert.equal(host.init?.version, '0.19.0');
    assert.equal(host.init?.commit, 'de40ad0');
  });

  it('cgroup v2: the effective cpuset of the root; no runc: no version rather than a made-up one', async () => {
    const root = await fakeHost(true);
    roots.push(root);
    const host = await readHostFacts({ etc: `${root}/etc`, sys: `${root}/sys`, procSelf: `${root}/proc/self`, dev: `${root}/dev`, runc: `${root}/bin/no-runc`, initCandidates: [] });
    assert.equal(host.cgroupVersion, '2');
    assert.deepEqual([host.cpusetCpus, host.cpusetMems], ['0-3', '0-1']);
    assert.equal(host.runc, undefined);
    assert.equal(host.init, undefined);
  });
});
