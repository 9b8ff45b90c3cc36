// Docker's detach keys: while attached, typing the sequence (default Ctrl-P Ctrl-Q) lets go of the
// container without stopping it or closing its stdin. The daemon watches the client's bytes for it;
// bytes that only looked like the start of the sequence are passed on once they turn out not to be.
import { invalidArgument } from '../../core/errors.js';

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** "ctrl-p,ctrl-q" -> [0x10, 0x11]; "a" -> [0x61]; Docker's grammar */
export function parseDetachKeys(spec: string): number[] {
  return spec.split(',').map((key) => {
    const k = key.trim().toLowerCase();
    if (k.length === 1) return k.charCodeAt(0);
    const m = /^ctrl-(.)$/.exec(k);
    if (m) {
      const c = m[1];
      if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 96;
      const special: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };
      if (c in special) return special[c];
    }
    throw invalidArgument(`invalid detach keys "${spec}": expected a comma-separated list like ctrl-p,ctrl-q`);
  });
}

export class DetachKeyScanner {
  private matched = 0;

  constructor(private readonly sequence: number[]) {}

  /** the bytes to forward to stdin, and whether the sequence was completed */
  push(chunk: Buffer): { forward: Buffer; detached: boolean } {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.sequence[this.matched]) {
        this.matched++;
        if (this.matched === this.sequence.length) {
          this.matched = 0;
          return { forward: Buffer.from(out), detached: true };
        }
        continue;
      }
      // a false start: give back the bytes held so far, then look at this byte afresh
      out.push(...this.sequence.slice(0, this.matched));
      this.matched = 0;
      if (byte === this.sequence[0]) this.matched = 1;
      else out.push(byte);
    }
    return { forward: Buffer.from(out), detached: false };
  }
}
