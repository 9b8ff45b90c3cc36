// The hosts file of `class create --hosted hosts:<file>`: the Linux machines hosted seats run on, one a
// line, each with how many seats it takes at once (its slots). The warm pool spreads its sandboxes over
// them, the least used first, and never puts more on a host than its slots: that bound is the only
// scheduling there is (issue 18: no home-made scheduler beyond a bounded pool over a hosts file).
//
//   # user@host[:port]   identity=<private key>   slots=<seats at once, default 1>
//   root@10.0.0.5         identity=~/.ssh/class_ed25519 slots=4
//   student@lab-2:2222    slots=2
//
// Pure: parses text, says file:line on what it cannot read.
import { invalidArgument } from '../../core/errors.js';
import type { SshTarget } from '../../vm/vm-provider.js';

export interface SeatHost extends SshTarget {
  /** how many hosted seats may run on this host at once */
  slots: number;
}

const TARGET = /^([a-z_][a-z0-9_.-]*)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/;

export function parseHostsFile(text: string, file = 'hosts file'): SeatHost[] {
  const hosts: SeatHost[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const where = `${file}:${i + 1}`;
    const [first, ...rest] = line.split(/\s+/);
    const m = TARGET.exec(first);
    if (!m) throw invalidArgument(`${where}: expected user@host[:port], found "${first}"`, { suggestions: ['a line reads: root@10.0.0.5:22 identity=~/.ssh/id_ed25519 slots=4'] });
    const port = m[3] === undefined ? 22 : Number(m[3]);
    if (port < 1 || port > 65535) throw invalidArgument(`${where}: port ${port} is not between 1 and 65535`);
    const host: SeatHost = { user: m[1], host: m[2].replace(/^\[|\]$/g, ''), port, slots: 1 };
    for (const option of rest) {
      const [key, value] = option.split('=', 2);
      if (key === 'identity' && value) host.identity = value;
      else if (key === 'slots' && /^\d{1,4}$/.test(value ?? '') && Number(value) >= 1) host.slots = Number(value);
      else throw invalidArgument(`${where}: expected identity=<key file> or slots=<a number from 1>, found "${option}"`);
    }
    if (hosts.some((h) => h.host === host.host && h.port === host.port && h.user === host.user)) throw invalidArgument(`${where}: ${first} is listed twice`, { suggestions: ['give the host more slots instead: slots=N'] });
    hosts.push(host);
  });
  if (hosts.length === 0) throw invalidArgument(`${file} lists no host`, { suggestions: ['a line reads: root@10.0.0.5:22 identity=~/.ssh/id_ed25519 slots=4'] });
  return hosts;
}

/** user@host:port, the key a sandbox keeps of the host it runs on */
export function hostKey(h: SshTarget): string {
  return `${h.user}@${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;
}

/**
 * the host for one more sandbox: the one with the most free slots (the first listed on a tie), or
 * undefined when every host is full. `used` counts the live sandboxes per hostKey.
 */
export function pickHost(hosts: readonly SeatHost[], used: ReadonlyMap<string, number>): SeatHost | undefined {
  let best: SeatHost | undefined;
  let bestFree = 0;
  for (const h of hosts) {
    const free = h.slots - (used.get(hostKey(h)) ?? 0);
    if (free > bestFree) {
      best = h;
      bestFree = free;
    }
  }
  return best;
}
