// Flow control between a terminal (a pty or an ssh channel) and a WebSocket, as in xterm.js's
// flow-control guide: the server counts what it sent, the browser acknowledges what xterm.js has
// actually written, and the terminal is paused while too much is in flight. Without it `yes` fills the
// socket buffer, the server's memory and the browser's event loop (the page freezes). The socket's own
// buffered amount is a second signal, for clients that never acknowledge.
// Pure: the bridge tells it what happened and does what it answers.

export interface FlowLimits {
  /** pause the terminal when more than this many characters are in flight */
  highWater: number;
  /** resume it once fewer than this are in flight */
  lowWater: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = { highWater: 256 * 1024, lowWater: 32 * 1024 };

/** what the caller must do now */
export type FlowAction = 'pause' | 'resume' | 'none';

export class FlowControl {
  private unacked = 0;
  private buffered = 0;
  private pausedNow = false;

  constructor(readonly limits: FlowLimits = DEFAULT_FLOW_LIMITS) {
    if (!(limits.lowWater >= 0 && limits.lowWater < limits.highWater)) {
      throw new RangeError(`flow control needs 0 <= lowWater < highWater, got ${limits.lowWater} and ${limits.highWater}`);
    }
  }

  get paused(): boolean {
    return this.pausedNow;
  }

  /** characters sent but not yet acknowledged, or still in the socket buffer, whichever is larger */
  get inFlight(): number {
    return Math.max(this.unacked, this.buffered);
  }

  /** n characters were sent to the socket, which now buffers `bufferedAmount` bytes */
  sent(n: number, bufferedAmount = this.buffered): FlowAction {
    this.unacked += n;
    this.buffered = bufferedAmount;
    return this.decide();
  }

  /** the browser wrote n more characters into xterm.js */
  acked(n: number): FlowAction {
    this.unacked = Math.max(0, this.unacked - n);
    return this.decide();
  }

  /** the socket's buffer was measured again (it drains without any message from the client) */
  drained(bufferedAmount: number): FlowAction {
    this.buffered = bufferedAmount;
    return this.decide();
  }

  /** a new socket took over the session: nothing of the old one is in flight any more */
  reset(): FlowAction {
    this.unacked = 0;
    this.buffered = 0;
    return this.decide();
  }

  private decide(): FlowAction {
    if (!this.pausedNow && this.inFlight > this.limits.highWater) {
      this.pausedNow = true;
      return 'pause';
    }
    if (this.pausedNow && this.inFlight < this.limits.lowWater) {
      this.pausedNow = false;
      return 'resume';
    }
    return 'none';
  }
}
