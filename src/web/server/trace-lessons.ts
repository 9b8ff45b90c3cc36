// Which lab step teaches the concept behind each engine step, so the "under the hood" panel can link a
// trace event ("mounted overlayfs at ...") to the place where the student does it by hand. Pure data;
// a lab that is not installed simply shows no link.
import type { TraceStep } from '../../engine/trace/trace-event.js';

export interface Lesson {
  lab: string;
  step: string;
}

export const TRACE_LESSONS: Partial<Record<TraceStep, Lesson>> = {
  'layer.unpack': { lab: '03-overlayfs', step: 'whiteout' },
  'snapshot.prepare': { lab: '03-overlayfs', step: 'two-layers' },
  'mount.overlay': { lab: '03-overlayfs', step: 'mount' },
  'mount.unmount': { lab: '03-overlayfs', step: 'mount' },
  'namespace.network': { lab: '01-containers-are-processes', step: 'uts' },
  'spec.write': { lab: '01-containers-are-processes', step: 'compare' },
  'cgroup.limits': { lab: '02-cgroups', step: 'limits' },
  'runc.run': { lab: '01-containers-are-processes', step: 'pid-and-root' },
  'runc.exec': { lab: '01-containers-are-processes', step: 'nsenter' },
  'runc.pause': { lab: '02-cgroups', step: 'move-in' },
  'runc.resume': { lab: '02-cgroups', step: 'move-in' },
  'process.exit': { lab: '02-cgroups', step: 'oom' },
};

export function lessonFor(step: string): Lesson | undefined {
  return (TRACE_LESSONS as Record<string, Lesson | undefined>)[step];
}
