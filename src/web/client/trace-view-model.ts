// What the "under the hood" panel makes of a trace event before showing it: the phase of `docker run` it
// belongs to (image and storage, network, spec, runc, exit), its text with short ids and human sizes, and
// a command the student can type to see the same thing in the kernel ("see it yourself"). Pure.
import type { Lang } from '../../core/lang.js';

export const PHASES = ['image', 'storage', 'network', 'spec', 'runc', 'exit', 'other'] as const;
export type Phase = (typeof PHASES)[number];

const PHASE_NAMES: Record<Phase, Record<Lang, string>> = {
  image: { en: 'image', zh: '镜像' },
  storage: { en: 'storage', zh: '存储' },
  network: { en: 'network', zh: '网络' },
  spec: { en: 'OCI spec and cgroup', zh: 'OCI 规范与控制组' },
  runc: { en: 'runc', zh: 'runc' },
  exit: { en: 'exit and clean-up', zh: '退出与清理' },
  other: { en: 'other', zh: '其他' },
};

export function phaseName(phase: Phase, lang: Lang): string {
  return PHASE_NAMES[phase][lang];
}

/** the phase of a trace step ("network.veth" -> network) */
export function phaseOf(step: string): Phase {
  if (step === 'process.exit' || step === 'cleanup' || step.startsWith('restart.') || step === 'mount.unmount' || step === 'network.release' || step === 'runc.delete') return 'exit';
  const [area] = step.split('.');
  if (['image', 'layer', 'pull', 'push', 'build'].includes(area)) return 'image';
  if (['snapshot', 'mount', 'volume'].includes(area)) return 'storage';
  if (area === 'network' || step === 'namespace.network') return 'network';
  if (area === 'spec' || area === 'cgroup') return 'spec';
  if (area === 'runc') return 'runc';
  return 'other';
}

/** a container or image id as Docker shows it: 12 hex, without "sha256:" */
export function shortObjectId(id: string): string {
  return /^(sha256:)?[0-9a-f]{64}$/.test(id) ? id.replace(/^sha256:/, '').slice(0, 12) : id;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 67108864 -> "64 MiB", 1536 -> "1.5 KiB" */
export function humanSize(bytes: number): string {
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${unit === 0 ? n : Number(n.toFixed(1))} ${UNITS[unit]}`;
}

/** the event's text as a person reads it: 64-hex ids cut to Docker's 12, byte counts as sizes */
export function tidyText(text: string): string {
  return text
    .replace(/\b(sha256:)?([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1$2')
    .replace(/\b(\d{4,})(-byte| bytes)\b/g, (_, n: string) => humanSize(Number(n)))
    .replace(/(\d{4,}) 字节/g, (_, n: string) => `${humanSize(Number(n))} `);
}

type Details = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** single-quoted for a POSIX shell: the command is shown to be copied, never run by the page */
const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** a command that shows, on the sandbox, what this step made; undefined when there is no simple one */
export function seeItYourself(step: string, d: Details, objectId: string): string | undefined {
  switch (step) {
    case 'spec.write':
      return text(d.path) && `cat ${q(text(d.path)!)}`;
    case 'mount.overlay':
      return text(d.target) && `findmnt ${q(text(d.target)!)}`;
    case 'layer.unpack':
    case 'volume.create':
      return text(d.path) && `ls -la ${q(text(d.path)!)}`;
    case 'network.netns':
      return text(d.path) && `nsenter --net=${q(text(d.path)!)} ip addr`;
    case 'network.bridge':
      return text(d.bridge) && `ip addr show ${q(text(d.bridge)!)}`;
    case 'network.veth':
      return text(d.hostSide) && `ip link show ${q(text(d.hostSide)!)}`;
    case 'network.rule': {
      const chain = /\s-A\s+(\S+)/.exec(text(d.rule) ?? '')?.[1];
      return text(d.table) && `iptables -t ${q(text(d.table)!)} -S${chain ? ` ${q(chain)}` : ''}`;
    }
    case 'network.port':
      return `iptables -t nat -S | grep -- '--dport ${Number(d.hostPort) || 0}'`;
    case 'cgroup.limits': {
      const p = text(d.cgroupsPath);
      if (!p) return undefined;
      return d.version === 'v1' ? `cat /sys/fs/cgroup/memory${p}/memory.limit_in_bytes /sys/fs/cgroup/pids${p}/pids.max` : `cat /sys/fs/cgroup${p}/memory.max /sys/fs/cgroup${p}/pids.max`;
    }
    case 'runc.run':
    case 'runc.exec': {
      const args = Array.isArray(d.runc) ? d.runc : Array.isArray(d.args) ? d.args : [];
      const root = args.indexOf('--root');
      return `runc${root >= 0 && typeof args[root + 1] === 'string' ? ` --root ${q(args[root + 1] as string)}` : ''} state ${q(objectId)}`;
    }
    default:
      return undefined;
  }
}

/** the containers whose story ended with their removal (docker rm, run --rm): the panel marks them removed */
export function removedObjects(events: readonly { objectId: string; step: string; details: Record<string, unknown> }[]): Set<string> {
  return new Set(events.filter((e) => e.step === 'cleanup' && e.details.removed === true).map((e) => e.objectId));
}
