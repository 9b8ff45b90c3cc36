// Fake cgroup trees in a temp dir: the files a v1 hybrid host or a v2 host has, with recorded contents.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

export function fakeV1(cg = 'boxlab/c1'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-cgroups-v1-'));
  writeTree(root, {
    'unified/cgroup.procs': '',
    'memory/cgroup.procs': '1\n',
    [`memory/${cg}/memory.usage_in_bytes`]: '454656\n',
    [`memory/${cg}/memory.limit_in_bytes`]: '33554432\n',
    [`memory/${cg}/memory.max_usage_in_bytes`]: '2777088\n',
    [`memory/${cg}/memory.failcnt`]: '0\n',
    [`memory/${cg}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n',
    [`memory/${cg}/memory.stat`]: 'cache 4096\nrss 53248\ntotal_inactive_file 4096\ntotal_rss 53248\nhierarchical_memory_limit 33554432\n',
    [`memory/${cg}/cgroup.procs`]: '10228\n',
    [`cpuacct/${cg}/cpuacct.usage`]: '15964717\n',
    [`cpuacct/${cg}/cpuacct.usage_percpu`]: '9334992 6629725 \n',
    [`cpuacct/${cg}/cpuacct.stat`]: 'user 1\nsystem 0\n',
    [`cpu/${cg}/cpu.stat`]: 'nr_periods 10\nnr_throttled 2\nthrottled_time 5000\n',
    [`pids/${cg}/pids.current`]: '2\n',
    [`pids/${cg}/pids.max`]: '20\n',
    [`pids/${cg}/cgroup.procs`]: '10228\n10240\n',
    [`pids/${cg}/sub/cgroup.procs`]: '10250\n',
    [`blkio/${cg}/blkio.throttle.io_service_bytes_recursive`]: '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Total 12288\nTotal 12288\n',
  });
  return root;
}

export function fakeV2(cg = 'boxlab/c1'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'boxlab-cgroups-v2-'));
  writeTree(root, {
    'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
    'cgroup.procs': '1\n',
    [`${cg}/memory.current`]: '1048576\n',
    [`${cg}/memory.max`]: 'max\n',
    [`${cg}/memory.events`]: 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n',
    [`${cg}/memory.stat`]: 'anon 524288\nfile 262144\ninactive_file 131072\n',
    [`${cg}/cpu.stat`]: 'usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n',
    [`${cg}/pids.current`]: '1\n',
    [`${cg}/pids.max`]: 'max\n',
    [`${cg}/io.stat`]: '254:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n',
    [`${cg}/cgroup.procs`]: '321\n',
  });
  return root;
}
