import assert from 'node:assert/strict';
import type { GuestShell } from '../../../../src/vm/guest.js';
import { GuestTerminalSession, guestTerminalFactory } from '../../../../src/web/terminal/guest-terminal-session.js';
import { shellPreamble } from '../../../../src/vm/shell-quote.js';

class FakeGuestShell implements GuestShell {
  written: string[] = [];
  sizes: Array<[number, number]> = [];
  closed = false;
  private data?: (b: Buffer) => void;
  private exit?: (code: number) => void;
  write(d: string | Buffer): void {
    this.written.push(String(d));
  }
  onData(l: (b: Buffer) => void): void {
    this.data = l;
  }
  onExit(l: (code: number) => void): void {
    this.exit = l;
  }
  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }
  close(): void {
    this.closed = true;
  }
  emit(b: Buffer): void {
    this.data?.(b);
  }
  end(code: number): void {
    this.exit?.(code);
  }
}

describe('GuestTerminalSession', () => {
  it('exports the environment and changes folder with quoted words, out of the history', () => {
    assert.equal(shellPreamble({ LAB_ID: 'lab1', LAB_DIR: "/tmp/it's here", DOCKER_HOST: 'unix:///run/boxlab/docker.sock' }, '/tmp/x y'),
      " export LAB_ID=lab1 LAB_DIR='/tmp/it'\\''s here' DOCKER_HOST=unix:///run/boxlab/docker.sock; cd '/tmp/x y'; clear\r");
    assert.equal(shellPreamble({}), '');
    assert.throws(() => shellPreamble({ 'A;rm': 'x' }), /invalid environment variable name/);
  });

  it('decodes UTF-8 split across chunks, holds output while paused, and reports the exit', () => {
    const shell = new FakeGuestShell();
    const s = new GuestTerminalSession(shell);
    const out: string[] = [];
    const exits: number[] = [];
    s.onData((d) => out.push(d));
    s.onExit((e) => exits.push(e.code));
    const bytes = Buffer.from('容器');
    shell.emit(bytes.subarray(0, 2));
    shell.emit(bytes.subarray(2));
    assert.equal(out.join(''), '容器');
    s.pause();
    shell.emit(Buffer.from('later'));
    assert.equal(out.join(''), '容器');
    s.resume();
    assert.equal(out.join(''), '容器later');
    s.resize(100, 30);
    assert.deepEqual(shell.sizes, [[100, 30]]);
    shell.end(2);
    assert.deepEqual(exits, [2]);
    s.write('ignored after exit');
    assert.deepEqual(shell.written, []);
  });

  it('the factory opens the guest shell and types the preamble first', async () => {
    const shell = new FakeGuestShell();
    const asked: unknown[] = [];
    const factory = guestTerminalFactory({ name: 'fake', exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }), openShell: async (o) => (asked.push(o), shell) });
    await factory({ cols: 90, rows: 20, env: { LAB_ID: 'a' } });
    assert.deepEqual(asked, [{ cols: 90, rows: 20, term: 'xterm-256color' }]);
    assert.deepEqual(shell.written, [' export LAB_ID=a; clear\r']);
    await assert.rejects(guestTerminalFactory({ name: 'plain', exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }) })({ cols: 1, rows: 1 }), /cannot open an interactive shell/);
  });
});
