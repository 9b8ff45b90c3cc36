// QmpClient: QEMU's machine protocol (JSON lines on a unix socket). boxlab uses it to quit a VM and, for
// snapshots, to run the monitor's savevm/loadvm: the whole machine (RAM, devices, disk) is saved inside
// the qcow2 overlay, so a restore resumes a running, booted VM in seconds instead of booting again.
import net from 'node:net';
import { AppError } from '../../../core/errors.js';

export class QmpClient {
  private buffer = '';
  private waiters: Array<(msg: Record<string, unknown>) => void> = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buffer += d.toString('utf8');
      let i;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i).trim();
        this.buffer = this.buffer.slice(i + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as Record<string, unknown>;
        if ('event' in msg) continue;
        this.waiters.shift()?.(msg);
      }
    });
  }

  static async connect(socketPath: string, timeoutMs = 5000): Promise<QmpClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(socketPath);
      const t = setTimeout(() => {
        s.destroy();
        reject(new AppError('UNAVAILABLE', `qemu monitor ${socketPath} did not answer`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(t);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(t);
        reject(new AppError('UNAVAILABLE', `cannot connect to the qemu monitor ${socketPath}: ${e.message}`, { cause: e }));
      });
    });
    const c = new QmpClient(socket);
    await c.next(); // greeting
    await c.command('qmp_capabilities');
    return c;
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async command(execute: string, args?: Record<string, unknown>): Promise<unknown> {
    const reply = this.next();
    this.socket.write(JSON.stringify(args ? { execute, arguments: args } : { execute }) + '\n');
    const msg = await reply;
    if (msg.error) {
      const e = msg.error as { desc?: string };
      throw new AppError('COMMAND_FAILED', `qemu ${execute} failed: ${e.desc ?? JSON.stringify(e)}`);
    }
    return msg.return;
  }

  /** a human monitor command (savevm, loadvm, info snapshots); its text output is returned, errors thrown */
  async hmp(commandLine: string): Promise<string> {
    const out = String((await this.command('human-monitor-command', { 'command-line': commandLine })) ?? '');
    if (/^Error|error:/im.test(out)) throw new AppError('COMMAND_FAILED', `qemu monitor "${commandLine}": ${out.trim()}`);
    return out;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** `info snapshots` text -> snapshot tags */
export function parseInfoSnapshots(text: string): string[] {
  const tags: string[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*(?:--|\d+)\s+(\S+)\s+\S+/);
    if (m && !/^ID$/i.test(m[1]!) && m[1] !== 'TAG') tags.push(m[1]!);
  }
  return tags;
}
