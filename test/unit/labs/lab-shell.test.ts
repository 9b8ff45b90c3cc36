// `boxlab lab shell` in a VM sandbox: the VM's shell gets the lab's environment and folder in its first
// line (ssh env requests are refused by most sshd configs), then the student's keys; its exit code is the
// command's. A recording shell stands in for the ssh2 pty channel.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { openLabShell, type ShellTerminal } from '../../../src/labs/lab-shell.js';
import type { Guest, GuestShell } from '../../../src/vm/guest.js';

class RecordingShell implements GuestShell {
  readonly written: string[] = [];
  private exit?: (code: number) => void;
  private data?: (d: Buffer) => void;
  write(d: string | Buffer): void {
    this.written.push(d.toString());
    if (d.toString() === 'exit\r') this.exit?.(3);
    else this.data?.(Buffer.from(`echo:${d.toString()}`));
  }
  onData(l: (d: Buffer) => void): void {
    this.data = l;
  }
  onExit(l: (code: number) => void): void {
    this.exit = l;
  }
  resize(): void {}
  close(): void {}
}

describe('lab shell in a vm sandbox', () => {
  const env = { LAB_ID: '04-container-lifecycle', LAB_DIR: '/tmp/boxlab-lab/04 lifecycle', DOCKER_HOST: 'unix:///run/boxlab/docker.sock' };

  it("exports the lab's environment and enters its folder before the student types", async () => {
    const shell = new RecordingShell();
    const guest: Guest = { name: 'qemu:boxlab', exec: () => Promise.reject(new Error('not used')), openShell: async () => shell };
    const input = new PassThrough();
    const output = Object.assign(new PassThrough(), { columns: 100, rows: 30 });
    const seen: string[] = [];
    output.on('data', (d: Buffer) => seen.push(d.toString()));
    const code = openLabShell(guest, { env, cwd: env.LAB_DIR }, { input, output } as unknown as ShellTerminal);
    await new Promise((r) => setImmediate(r));
    input.write('exit\r');
    assert.equal(await code, 3);
    assert.equal(shell.written[0], " export LAB_ID=04-container-lifecycle LAB_DIR='/tmp/boxlab-lab/04 lifecycle' DOCKER_HOST=unix:///run/boxlab/docker.sock; cd '/tmp/boxlab-lab/04 lifecycle'; clear\r");
    assert.equal(shell.written[1], 'exit\r');
    assert.match(seen.join(''), /^echo: export LAB_ID=/);
  });

  it('-c runs one command in the lab folder with the environment, through exec', async () => {
    const calls: { script: string; env?: Record<string, string> }[] = [];
    const guest: Guest = {
      name: 'qemu:boxlab',
      exec: async (c, o) => {
        calls.push({ script: (c as { script: string }).script, env: o?.env });
        return { exitCode: 5, stdout: 'out\n', stderr: '' };
      },
    };
    const output = new PassThrough();
    const code = await openLabShell(guest, { env, cwd: env.LAB_DIR, command: 'docker ps' }, { input: new PassThrough(), output } as unknown as ShellTerminal);
    assert.equal(code, 5);
    assert.equal(calls[0].script, 'cd "$LAB_DIR" 2>/dev/null || true\ndocker ps');
    assert.deepEqual(calls[0].env, env);
    assert.equal(output.read()?.toString(), 'out\n');
  });
});
