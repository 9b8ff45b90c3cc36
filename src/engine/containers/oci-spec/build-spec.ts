// buildSpec: from what the container service gathered (SpecInput) to the OCI runtime spec runc reads.
// It starts from Docker's defaults and applies one small modifier per concern, in an order that
// matters: capabilities before seccomp (the filter depends on them), privileged after both.
import os from 'node:os';
import { failedPrecondition, invalidArgument } from '../../../core/errors.js';
import { defaultSpec } from './default-spec.js';
import type { RuntimeSpec, SpecOpt } from '../../oci-runtime-spec.js';
import { DOCKER_DEFAULT_SECCOMP_PROFILE } from './seccomp-default-profile.js';
import { withSeccomp } from './seccomp.js';
import { goArch } from '../../host/go-arch.js';
import { withCapabilities, withPrivileged } from './security-opts.js';
import { withDefaultNofileCap, withResources } from './resource-opts.js';
import { withAllHostDevices, withDevices } from './host-devices.js';
import { withBlockIO } from './block-io.js';
import type { SpecInput } from './spec-input.js';
import {
  withAnnotations,
  withCgroupsPath,
  withHostname,
  withInit,
  withMounts,
  withNamespaces,
  withOomScoreAdj,
  withPathOverrides,
  withProcess,
  withRootfs,
  withShmSize,
  withDefaultNetSysctls,
  withSysctls,
} from './spec-opts.js';

export function applyOpts(spec: RuntimeSpec, opts: SpecOpt[]): RuntimeSpec {
  return opts.reduce((s, opt) => opt(s), spec);
}

/** --security-opt seccomp=unconfined turns the filter off; a custom profile file is not supported */
function seccompWanted(securityOpt: readonly string[]): boolean {
  for (const opt of securityOpt) {
    const [key, value] = opt.includes('=') ? opt.split('=', 2) : opt.split(':', 2);
    if (key === 'seccomp') {
      if (value === 'unconfined') return false;
      throw invalidArgument(`unsupported security option "${opt}": boxlab only knows seccomp=unconfined`);
    }
  }
  return true;
}

export function buildSpec(input: SpecInput): RuntimeSpec {
  const hc = input.hostConfig;
  const privileged = hc.Privileged === true;
  const host = { arch: input.host?.arch ?? goArch(), kernel: input.host?.kernel ?? os.release() };
  const opts: SpecOpt[] = [
    withProcess(input.args, input.env, input.cwd, input.user, input.terminal),
    withHostname(input.hostname, input.domainname),
    withRootfs(input.rootfs, hc.ReadonlyRootfs === true),
    withShmSize(hc.ShmSize),
    withMounts(input.mounts),
    withNamespaces(input.network, { pid: hc.PidMode, ipc: hc.IpcMode, uts: hc.UTSMode }, input.joined),
    withCapabilities(hc.CapAdd, hc.CapDrop, input.host?.capabilities),
    withSeccomp(seccompWanted(hc.SecurityOpt ?? []) ? DOCKER_DEFAULT_SECCOMP_PROFILE : undefined, host),
    withPathOverrides(hc.MaskedPaths, hc.ReadonlyPaths),
    withDefaultNofileCap(input.host?.maxNofile),
    withResources(hc),
    withBlockIO(hc, input.blockDevices ?? {}),
    withDevices(hc.Devices, input.host?.devices ?? []),
    withDefaultNetSysctls(input.network.mode !== 'host' && !(hc.NetworkMode ?? '').startsWith('container:')),
    withSysctls(hc.Sysctls),
    withOomScoreAdj(hc.OomScoreAdj),
    withCgroupsPath(input.cgroupsPath),
    withAnnotations(input.annotations),
  ];
  if (privileged) opts.push(withPrivileged(input.host?.capabilities), withAllHostDevices(input.host?.devices ?? []));
  if (hc.Init) {
    if (!input.initPath) {
      throw failedPrecondition('--init needs an init binary on the host, and none was found', {
        suggestions: ['install docker.io (it ships /usr/bin/docker-init) or tini-static'],
      });
    }
    opts.push(withInit(input.initPath));
  }
  return applyOpts(defaultSpec(), opts);
}

/** the facts about a spec the spec.write trace event shows */
export function specTraceDetails(spec: RuntimeSpec, file: string): Record<string, unknown> {
  return {
    path: file,
    args: spec.process.args,
    user: `${spec.process.user.uid}:${spec.process.user.gid}`,
    capabilities: spec.process.capabilities?.bounding.length ?? 0,
    namespaces: spec.linux.namespaces.map((n) => n.type),
    readonlyRootfs: spec.root.readonly === true,
    mounts: spec.mounts.map((m) => m.destination),
    resources: spec.linux.resources ? { ...spec.linux.resources, devices: undefined } : undefined,
    seccomp: spec.linux.seccomp ? `${spec.linux.seccomp.syscalls?.length ?? 0} rules, default ${spec.linux.seccomp.defaultAction}` : 'none',
  };
}
