// The Dockerfile syntax tree, shaped like buildkit's parser.Node: each instruction is a node whose `next`
// chain holds its arguments (ONBUILD's argument is a child node). `dumpNode` prints buildkit's test dump
// format, so our parser can be checked against buildkit's own golden files.

export interface Heredoc {
  /** the terminator word, e.g. EOF */
  name: string;
  /** the lines between the instruction and the terminator, joined with "\n" (ending with "\n") */
  content: string;
  /** `<<-EOF` strips leading tabs */
  chomp: boolean;
  /** `<<"EOF"` or `<<'EOF'`: no variable expansion in the body */
  quoted: boolean;
}

export interface DockerfileNode {
  value: string;
  next?: DockerfileNode;
  children: DockerfileNode[];
  /** e.g. { json: true } when the arguments were a JSON array */
  attributes: Record<string, boolean>;
  /** the instruction line as written (continuations joined) */
  original: string;
  /** `--name=value` flags, only on instruction nodes */
  flags: string[];
  startLine: number;
  endLine: number;
  heredocs: Heredoc[];
}

export function newNode(value = '', next?: DockerfileNode): DockerfileNode {
  return { value, next, children: [], attributes: {}, original: '', flags: [], startLine: 0, endLine: 0, heredocs: [] };
}

/** the argument values of an instruction node, in order */
export function nodeArgs(node: DockerfileNode): string[] {
  const out: string[] = [];
  for (let n = node.next; n; n = n.next) out.push(n.value);
  return out;
}

/** Go's strconv.Quote, which buildkit's dump uses for every value */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0x80 && cp < 0xa0) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** buildkit's Node.Dump: `(from "busybox")`-style lines for the root, one per instruction */
export function dumpNode(node: DockerfileNode): string {
  let str = node.value;
  if (node.flags.length > 0) str += ' [' + node.flags.map(goQuote).join(' ') + ']';
  for (const child of node.children) str += '(' + dumpNode(child) + ')\n';
  for (let n = node.next; n; n = n.next) {
    str += n.children.length > 0 ? ' ' + dumpNode(n) : ' ' + goQuote(n.value);
  }
  return str.trim();
}
