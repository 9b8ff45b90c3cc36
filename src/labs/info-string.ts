// The info string of a fenced block: ```check copy-up timeout=10s needs=lower,upper
// -> kind "check", words ["copy-up"], attrs {timeout: "10s", needs: "lower,upper"}. Values may be quoted.

export interface InfoString {
  kind: string;
  words: string[];
  attrs: Record<string, string>;
}

export function parseInfoString(info: string): InfoString {
  const tokens = [...info.matchAll(/([\w.-]+)=("([^"]*)"|'([^']*)'|(\S*))|("([^"]*)"|\S+)/g)];
  const words: string[] = [];
  const attrs: Record<string, string> = {};
  for (const t of tokens) {
    if (t[1] !== undefined) attrs[t[1]] = t[3] ?? t[4] ?? t[5] ?? '';
    else words.push(t[7] ?? t[6]);
  }
  return { kind: (words.shift() ?? '').toLowerCase(), words, attrs };
}
