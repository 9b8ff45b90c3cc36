// A Dockerfile instruction as the builder sees it: the parsed node turned into a small record (command,
// raw arguments, flags as a map, the line it came from). Flags are checked here against what each
// instruction takes in the classic builder, so a typo fails before anything runs.
import { invalidArgument } from '../../core/errors.js';
import { nodeArgs, type DockerfileNode, type Heredoc } from './parser/dockerfile-node.js';

export interface Instruction {
  /** lower-case command: from, run, copy, ... */
  cmd: string;
  /** the argument words as parsed (quotes still in, variables not expanded) */
  args: string[];
  /** true for the JSON (exec) form */
  json: boolean;
  flags: Record<string, string>;
  /** the instruction as written, for "Step 3/7 : ..." and the cache key */
  original: string;
  line: number;
  heredocs: Heredoc[];
  /** ONBUILD's instruction */
  sub?: Instruction;
}

const FLAGS: Record<string, string[]> = {
  from: ['platform'],
  copy: ['from', 'chown', 'chmod', 'link'],
  add: ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir'],
  run: [],
  // dockerd 20.10's classic builder: no --start-interval (Docker 25)
  healthcheck: ['interval', 'timeout', 'start-period', 'retries'],
};

/** BuildKit-only flags: recognised, and refused with the reason */
const BUILDKIT_ONLY = new Set(['mount', 'network', 'security', 'link', 'checksum', 'keep-git-dir', 'parents', 'exclude']);

export const KNOWN_COMMANDS = new Set([
  'from', 'run', 'cmd', 'entrypoint', 'copy', 'add', 'env', 'arg', 'label', 'expose', 'user', 'workdir', 'volume',
  'stopsignal', 'shell', 'healthcheck', 'onbuild', 'maintainer',
]);

export function instructionFromNode(node: DockerfileNode, file = 'Dockerfile'): Instruction {
  const at = `${file}:${node.startLine}`;
  if (!KNOWN_COMMANDS.has(node.value)) {
    throw invalidArgument(`${at}: unknown instruction: ${node.value.toUpperCase()}`, {
      suggestions: ['check the spelling; instructions are FROM, RUN, COPY, ADD, CMD, ENTRYPOINT, ENV, ARG, ...'],
    });
  }
  const flags: Record<string, string> = {};
  for (const raw of node.flags) {
    const m = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=(.*))?$/s.exec(raw);
    if (!m) throw invalidArgument(`${at}: malformed flag "${raw}": expected --name=value`);
    const name = m[1]!;
    if (BUILDKIT_ONLY.has(name)) {
      throw invalidArgument(`${at}: ${node.value.toUpperCase()} --${name} is not supported by the classic builder`, {
        suggestions: [`remove --${name}, or build with BuildKit (docker buildx build)`],
      });
    }
    if (!(FLAGS[node.value] ?? []).includes(name)) throw invalidArgument(`${at}: unknown flag: --${name} for ${node.value.toUpperCase()}`);
    flags[name] = m[2] ?? 'true';
  }
  const sub = node.value === 'onbuild' ? node.next?.children[0] : undefined;
  if (node.value === 'onbuild') {
    if (!sub) throw invalidArgument(`${at}: ONBUILD needs an instruction, e.g. ONBUILD COPY . /app`);
    if (['onbuild', 'from', 'maintainer'].includes(sub.value)) {
      throw invalidArgument(`${at}: ${sub.value.toUpperCase()} isn't allowed as an ONBUILD trigger`);
    }
  }
  return {
    cmd: node.value,
    args: nodeArgs(node),
    json: node.attributes.json === true,
    flags,
    original: node.original.trim(),
    line: node.startLine,
    heredocs: node.heredocs,
    ...(sub ? { sub: instructionFromNode({ ...sub, startLine: node.startLine }, file) } : {}),
  };
}
