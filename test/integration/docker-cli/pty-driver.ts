// Drives an interactive docker command (`docker exec -it`, `docker attach`) through a real pty, as a
// person at a terminal would: write keys, wait for text to appear, see the exit code.
import pty from 'node-pty';

export class PtyDriver {
  private output = '';
  private readonly proc: pty.IPty;
  readonly exited: Promise<number>;

  constructor(file: string, args: string[], env: Record<string, string>) {
    this.proc = pty.spawn(file, args, { name: 'xterm', cols: 100, rows: 30, env: { ...process.env, ...env } as Record<string, string> });
    this.proc.onData((d) => {
      this.output += d;
      // a terminal answers a cursor position request (ESC [ 6 n, which busybox ash sends after its prompt)
      // at once; without an answer ash waits for one, and keys typed meanwhile can be taken as its reply
      if (d.includes('\x1b[6n')) this.proc.write('\x1b[1;1R');
    });
    this.exited = new Promise((resolve) => this.proc.onExit(({ exitCode }) => resolve(exitCode)));
  }

  get text(): string {
    return this.output;
  }

  write(keys: string): void {
    this.proc.write(keys);
  }

  async expect(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in pty output: ${JSON.stringify(this.output)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async exit(timeoutMs = 10_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`pty did not exit; output: ${JSON.stringify(this.output)}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    try {
      this.proc.kill();
    } catch {
      /* already gone */
    }
  }
}
