// Which Debian mirror debootstrap should use: the one apt on this machine is configured with (so a
// sandbox with a local mirror or proxy keeps working offline). Pure parsing of sources.list files.

export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

/** the first main-archive URI in apt sources (one-line "deb URI suite ..." or deb822 "URIs:" form) */
export function debianMirror(sourceTexts: readonly string[]): string {
  for (const text of sourceTexts) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const lines = stanza.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
      // deb822: skip security and disabled stanzas
      const uris = lines.find((l) => /^URIs:/i.test(l));
      if (uris) {
        const enabled = !lines.some((l) => /^Enabled:\s*no/i.test(l));
        const suites = lines.find((l) => /^Suites:/i.test(l)) ?? '';
        const uri = uris.replace(/^URIs:\s*/i, '').split(/\s+/)[0];
        if (enabled && !/security/.test(suites) && !/security/.test(uri) && /^https?:\/\//.test(uri)) return uri.replace(/\/+$/, '');
        continue;
      }
      for (const line of lines) {
        const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
        if (m && /^https?:\/\//.test(m[1]) && !/security/.test(m[2]) && !/security/.test(m[1])) return m[1].replace(/\/+$/, '');
      }
    }
  }
  return DEFAULT_DEBIAN_MIRROR;
}
