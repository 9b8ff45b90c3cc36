// A trace event records one thing the engine did for an object (a container, an image), with the facts
// (paths, arguments, fields) and a short explanation in English and Chinese. `boxlab explain` and the web
// page's "under the hood" panel show them; the labs point at the concepts they name.

export const TRACE_STEPS = [
  'image.resolve',
  'image.load',
  'image.import',
  'layer.unpack',
  'snapshot.prepare',
  'snapshot.init-layer',
  'mount.overlay',
  'mount.unmount',
  'volume.create',
  'volume.mount',
  'namespace.network',
  // network plane (src/engine/network)
  'network.netns',
  'network.bridge',
  'network.address',
  'network.veth',
  'network.port',
  'network.rule',
  'network.hosts',
  'network.dns-server',
  'network.dns',
  'network.dns-redirect',
  'network.release',
  'spec.write',
  'cgroup.limits',
  'runc.run',
  'runc.exec',
  'runc.kill',
  'runc.pause',
  'runc.resume',
  'runc.update',
  'container.export',
  'runc.delete',
  'process.exit',
  'restart.schedule',
  'health.status',
  'cleanup',
  'recover',
  'pull.manifest',
  'pull.layer',
  'push.blob',
  'push.manifest',
  'build.step',
  'build.commit',
] as const;
export type TraceStep = (typeof TRACE_STEPS)[number];

export interface TraceText {
  en: string;
  zh: string;
}

export interface TraceEvent {
  /** ISO 8601 time the step happened */
  time: string;
  /** the object it happened to: a container id or an image id */
  objectId: string;
  step: TraceStep;
  /** the facts, e.g. { lowerdir: [...], upperdir: '...' } or { args: ['runc', 'run', ...] } */
  details: Record<string, unknown>;
  text: TraceText;
}
