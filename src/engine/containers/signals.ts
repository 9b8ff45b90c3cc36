// Signal names and numbers as `docker kill -s` and a Dockerfile's STOPSIGNAL accept them: "SIGTERM",
// "TERM", "term" or "15" (Linux x86_64 numbering). Pure.
import { invalidArgument } from '../../core/errors.js';

export const SIGNALS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12,
  PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23,
  XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31,
};

export interface Signal {
  /** "TERM": what `runc kill` takes */
  name: string;
  number: number;
}

export function parseSignal(value: string | undefined, fallback = 'SIGTERM'): Signal {
  const raw = (value === undefined || value.trim() === '' ? fallback : value).trim();
  if (/^\d+$/.test(raw)) {
    const number = Number(raw);
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === number);
    if (name) return { name, number };
    if (number >= 34 && number <= 64) return { name: String(number), number }; // real-time signals
  } else {
    const name = raw.toUpperCase().replace(/^SIG/, '');
    if (name in SIGNALS) return { name, number: SIGNALS[name] };
  }
  throw invalidArgument(`invalid signal: ${value}`, { suggestions: ['use a name like SIGTERM, TERM or KILL, or a number like 9'] });
}
