// A container record as create would write it, for the pure modules' tests.
import { ZERO_TIME, type ContainerRecord } from '../../../../src/engine/containers/container-record.js';

export function record(over: Partial<ContainerRecord> & { Id: string }): ContainerRecord {
  return {
    Name: `/${over.Id.slice(0, 4)}`,
    Created: '2026-11-23T10:00:00.000Z',
    ImageRef: 'busybox',
    ImageId: 'sha256:' + 'b'.repeat(64),
    imageConfig: {},
    Config: { Image: 'busybox', Labels: {} },
    HostConfig: {},
    process: { args: ['sh', '-c', 'echo hi'], env: [], cwd: '/', userSpec: '', user: { uid: 0, gid: 0 } },
    ociMounts: [],
    mountPoints: [],
    anonymousVolumes: [],
    snapshotKey: over.Id,
    cgroupsPath: `/boxlab/${over.Id}`,
    State: { Status: 'created', Pid: 0, ExitCode: 0, Error: '', OOMKilled: false, StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME },
    RestartCount: 0,
    manuallyStopped: false,
    shimPid: 0,
    ...over,
  };
}
