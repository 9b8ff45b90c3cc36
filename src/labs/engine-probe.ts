// "Which engine is the student's docker talking to?" A lab that uses the engine (needs.engine) checks
// boxlabd through the DOCKER_HOST the lab's scripts get (lab-loader.ts labEnv). The student's own shell
// may have no DOCKER_HOST: the docker CLI then uses its default socket, /var/run/docker.sock, where a
// Debian dockerd may listen (a machine with docker.io installed, or the sandbox image with dockerd).
// Their containers are then real, but on the other engine, and every check that looks for them fails.
// When such a check fails, one probe in the sandbox asks both engines how many containers they hold;
// diagnoseEngines (pure) turns the answers into one sentence with the export line that fixes it.
import type { Lang } from '../core/lang.js';
import type { Guest } from '../vm/guest.js';
import type { Check } from './lab-model.js';
import { labMessage } from './lab-messages.js';

/** the docker CLI's address when DOCKER_HOST is unset (and no docker context says otherwise) */
export const DOCKER_DEFAULT_HOST = 'unix:///var/run/docker.sock';

export interface EngineAnswer {
  /** containers it holds (`docker ps -aq`), or undefined when nothing answered */
  containers?: number;
  /** e.g. "boxlab 0.1.0", "Docker Engine - Community 28.2.2", or " 20.10.24+dfsg1" (Debian's dockerd has no platform name) */
  version?: string;
}

export interface EngineProbe {
  /** the student's shell's DOCKER_HOST; undefined when unset */
  shellHost?: string;
  /** the two addresses with symlinks resolved (/var/run -> /run), to tell whether they are one engine */
  labAddress: string;
  shellAddress: string;
  lab: EngineAnswer;
  shell: EngineAnswer;
}

/** a check that talks to the engine: the ones a wrong DOCKER_HOST in the student's shell can fail */
export function usesDocker(check: Pick<Check, 'script'>): boolean {
  return /(^|[\s;|&(`$])docker\s/m.test(check.script);
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * the probe, a bash script: `shellHost` null asks the sandbox's login shell (a vm's terminal reads its
 * profile, where the image sets DOCKER_HOST or not); a string ('' = unset) is the shell the student ran
 * boxlab from (the local provider: this host is the sandbox)
 */
export function buildEngineProbeScript(labHost: string, shellHost: string | null): string {
  return [
    `lab_host=${q(labHost)}`,
    shellHost === null ? `shell_host=$(bash -lc 'printf %s "$DOCKER_HOST"' </dev/null 2>/dev/null)` : `shell_host=${q(shellHost)}`,
    'address() { case "$1" in unix://*) readlink -m "${1#unix://}" ;; *) printf %s "$1" ;; esac; }',
    'ask() {',
    '  if [ -n "$2" ]; then set -- "$1" env DOCKER_HOST="$2"; else set -- "$1" env -u DOCKER_HOST; fi',
    '  p=$1; shift',
    '  if ids=$("$@" timeout 5 docker ps -aq 2>/dev/null); then',
    '    echo "$p-containers=$(printf "%s" "$ids" | grep -c .)"',
    `    echo "$p-version=$("$@" timeout 5 docker version --format '{{.Server.Platform.Name}} {{.Server.Version}}' 2>/dev/null)"`,
    '  fi',
    '}',
    'echo "shell-host=$shell_host"',
    'echo "lab-address=$(address "$lab_host")"',
    `echo "shell-address=$(address "\${shell_host:-${DOCKER_DEFAULT_HOST}}")"`,
    'ask lab "$lab_host"',
    'ask shell "$shell_host"',
  ].join('\n');
}

/** pure: the probe's `key=value` lines */
export function parseEngineProbe(stdout: string): EngineProbe {
  const kv = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const answer = (p: string): EngineAnswer => {
    const n = kv.get(`${p}-containers`);
    if (n === undefined || !/^\d+$/.test(n)) return {};
    const version = kv.get(`${p}-version`)?.trim();
    return version ? { containers: Number(n), version } : { containers: Number(n) };
  };
  const shellHost = kv.get('shell-host');
  const probe: EngineProbe = { labAddress: kv.get('lab-address') ?? '', shellAddress: kv.get('shell-address') ?? '', lab: answer('lab'), shell: answer('shell') };
  if (shellHost) probe.shellHost = shellHost;
  return probe;
}

export interface EngineMismatch {
  labHost: string;
  shellHost?: string;
  /** what answers at the shell's address: the other engine and its containers, or nothing */
  other: EngineAnswer;
  message: string;
}

/**
 * pure: a mismatch when the lab's engine holds no containers while the student's shell points
 * elsewhere (another engine that answers, or nothing at all); undefined when the shell reaches the
 * lab's engine, or the lab's engine holds containers (then the check failed for another reason)
 */
export function diagnoseEngines(probe: EngineProbe, labHost: string, lang: Lang): EngineMismatch | undefined {
  if (probe.lab.containers !== 0) return undefined;
  if (probe.shellAddress === probe.labAddress) return undefined;
  const shellAddressText = probe.shellHost ?? DOCKER_DEFAULT_HOST;
  const shell = probe.shellHost === undefined ? labMessage(lang, 'engine.shell-unset', { address: shellAddressText }) : labMessage(lang, 'engine.shell-set', { address: shellAddressText });
  const message =
    probe.shell.containers === undefined
      ? labMessage(lang, 'engine.other-silent', { shell, lab: labHost })
      : labMessage(lang, 'engine.other-answers', { shell, lab: labHost, engine: describeEngine(probe.shell.version), count: probe.shell.containers });
  const out: EngineMismatch = { labHost, other: probe.shell, message };
  if (probe.shellHost !== undefined) out.shellHost = probe.shellHost;
  return out;
}

/** "boxlabd 0.1.0" for boxlab's engine, "dockerd 20.10.24+dfsg1" for Docker's */
export function describeEngine(version: string | undefined): string {
  const v = (version ?? '').trim();
  if (/^boxlab\b/i.test(v)) return `boxlabd ${v.replace(/^boxlab\s*/i, '')}`.trim();
  const number = v.split(/\s+/).pop() ?? '';
  return number ? `dockerd ${number}` : 'dockerd';
}

/** runs the probe in the sandbox; a probe that cannot run says nothing rather than fail the check */
export async function probeEngines(guest: Guest, labHost: string, shellHost: string | null): Promise<EngineProbe | undefined> {
  try {
    const r = await guest.exec({ script: buildEngineProbeScript(labHost, shellHost) }, { timeoutMs: 15_000 });
    return parseEngineProbe(r.stdout);
  } catch {
    return undefined;
  }
}
