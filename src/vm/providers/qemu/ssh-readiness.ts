// When is a booting VM reachable? Not when a TCP connect to the forwarded port succeeds: slirp accepts
// every connection on the host side at once, even before the guest runs sshd. So boxlab waits for the
// SSH banner ("SSH-2.0") to come back through the forward, then logs in for real (shared/notes 4.2).
import net from 'node:net';

export function readBanner(port: number, timeoutMs = 500): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const done = (v: string | undefined) => {
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(undefined), timeoutMs);
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.length >= 7) {
        clearTimeout(t);
        done(got);
      }
    });
    s.once('error', () => {
      clearTimeout(t);
      done(undefined);
    });
    s.once('close', () => {
      clearTimeout(t);
      done(got || undefined);
    });
  });
}

export function isSshBanner(text: string | undefined): boolean {
  return !!text && text.startsWith('SSH-2.0');
}

/** the last lines of a console log, for "did not answer in time" errors */
export function lastLines(text: string, n = 15): string[] {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n);
}
