// The fifos a create makes (stdin, stdout, stderr, ack: container-files.ts), from a stock. Node cannot
// make a fifo (no mkfifo(3)), so each one is a `mkfifo` process, ~10 ms on a host and ~100 ms in a sandbox
// VM under TCG (issue 19). The mkfifo a create runs anyway also makes seven more containers' fifos into
// <root>/tmp/fifos/; the next seven creates rename theirs from there (rename(2), no process), so one
// create in eight starts a mkfifo. A fifo has no contents: a renamed one is the same as a new one (mode
// 600, root's, not yet opened by anyone). The stock lives in tmp/, which the engine empties at its start,
// so nothing of it outlives the engine. A failed mkfifo is retried once for the container's four alone,
// so a create fails with the same error, before any snapshot, as without a stock (create-container.ts).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProcessRunner } from './container-deps.js';

/** fifos made for later creates by each mkfifo: seven more containers' four */
export const FIFO_STOCK_EXTRA = 28;

/** mkfifo's arguments: mode 600 (only root opens them), every name in one process */
export function mkfifoArgs(names: readonly string[]): string[] {
  return ['-m', '600', ...names];
}

export class FifoStock {
  /** names in dir, ready to be renamed */
  private ready: string[] = [];
  private readonly prefix = randomBytes(4).toString('hex');
  private made = 0;
  /** off after a rename failed (dir on another filesystem than the containers, or emptied): mkfifo each time */
  private off = false;

  constructor(
    readonly dir: string,
    private readonly exec: ProcessRunner,
    private readonly extra = FIFO_STOCK_EXTRA,
  ) {}

  /** how many fifos are ready */
  get size(): number {
    return this.ready.length;
  }

  /** makes each target a fifo (mode 600): renamed from the stock, or one mkfifo that also refills it */
  async make(targets: readonly string[]): Promise<void> {
    if (!this.off && this.ready.length >= targets.length) {
      // taken synchronously, so two creates at once never take the same name
      const taken = this.ready.splice(0, targets.length);
      const renamed = await Promise.all(taken.map((name, i) => fs.rename(path.join(this.dir, name), targets[i]).then(() => true, () => false)));
      if (!renamed.includes(false)) return;
      this.off = true;
      await Promise.all(targets.map((t) => fs.rm(t, { force: true })));
    }
    const fresh = this.off ? [] : Array.from({ length: this.extra }, () => path.join(this.dir, `${this.prefix}-${this.made++}`));
    if (fresh.length === 0) {
      await this.exec('mkfifo', mkfifoArgs(targets));
      return;
    }
    await fs.mkdir(this.dir, { recursive: true });
    // what is there already stays, whatever happens (mkfifo refuses it: "File exists")
    const there = await Promise.all(targets.map((t) => fs.lstat(t).then(() => true, () => false)));
    try {
      await this.exec('mkfifo', mkfifoArgs([...targets, ...fresh]));
      this.ready.push(...fresh.map((f) => path.basename(f)));
    } catch {
      // the disk is full, say: what this call made goes, and the container's four alone give the error
      await Promise.all([...targets.filter((_, i) => !there[i]), ...fresh].map((f) => fs.rm(f, { force: true })));
      await this.exec('mkfifo', mkfifoArgs(targets));
    }
  }
}
