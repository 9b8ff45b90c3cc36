// A bounded scrollback: the last output of a terminal, replayed to a browser that reconnects to the same
// shell (after the tab slept or the network dropped), so the screen is not blank. Bounded in characters
// so a `yes` flood cannot grow the server's memory.

export class Scrollback {
  private chunks: string[] = [];
  private size = 0;

  constructor(readonly limit = 256 * 1024) {}

  push(data: string): void {
    if (data.length >= this.limit) {
      this.chunks = [data.slice(data.length - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.limit) {
      const first = this.chunks[0];
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.size -= excess;
      }
    }
  }

  get length(): number {
    return this.size;
  }

  text(): string {
    // join once and keep it as one chunk: replays are rare, pushes are many
    const all = this.chunks.join('');
    this.chunks = all ? [all] : [];
    return all;
  }
}
