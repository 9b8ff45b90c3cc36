// /etc/os-release (os-release(5)): the distribution's name, which `docker info` shows as Operating System
// (PRETTY_NAME) and OSVersion (VERSION_ID). Pure: the text comes in.

/** KEY=value and KEY="value" lines -> { KEY: value } */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}
