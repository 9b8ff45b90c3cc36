// terminalSessionContract: what every TerminalSession (node-pty now, ssh2 for VM sandboxes later) must do,
// as the web terminal relies on it. Run it on each real implementation.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TerminalOptions, TerminalSession } from '../../../../src/web/terminal/terminal-session.js';

export function terminalSessionContract(name: string, make: (options: TerminalOptions) => Promise<TerminalSession>): void {
  describe(`TerminalSession contract: ${name}`, function () {
    this.timeout(15_000);
    let session: TerminalSession | undefined;
    let output = '';

    const open = async (options: Partial<TerminalOptions> = {}) => {
      output = '';
      session = await make({ cols: 80, rows: 24, ...options });
      session.onData((d) => (output += d));
      return session;
    };
    const waitFor = async (re: RegExp, ms = 5000) => {
      const end = Date.now() + ms;
      while (!re.test(output)) {
        if (Date.now() > end) assert.fail(`no ${re} in the terminal output:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    afterEach(() => session?.close());

    it('runs what is typed and shows its output (a computed value, not the echo of the input)', async () => {
      const s = await open();
      assert.ok(Number.isInteger(s.pid) && s.pid >= 0, 'a pid, or 0 when the sandbox does not tell');
      s.write('echo boxlab-$((6*7))\r');
      await waitFor(/boxlab-42/);
    });

    it('passes the environment and the window size to the shell', async () => {
      const s = await open({ env: { BOXLAB_CONTRACT: 'yes-it-is' }, cols: 91, rows: 17 });
      s.write('echo "env=$BOXLAB_CONTRACT"; stty size\r');
      await waitFor(/env=yes-it-is/);
      await waitFor(/17 91/);
      s.resize(120, 33);
      s.write('stty size\r');
      await waitFor(/33 120/);
    });

    it('stops delivering output while paused and delivers it after resume', async () => {
      const s = await open();
      s.write('echo ready-$((1+1))\r');
      await waitFor(/ready-2/);
      s.pause();
      await new Promise((r) => setTimeout(r, 100));
      const before = output.length;
      s.write('echo after-$((2+1))\r');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(output.length, before, 'nothing arrives while paused');
      s.resume();
      await waitFor(/after-3/);
    });

    it('pausing holds the program back (back-pressure), not its output in memory', async function () {
      // a flood bigger than any buffer on the way (pty, ssh window 2 MiB, stream buffers): while paused the
      // program must block before it ends; only after resume does it get to write its marker file
      this.timeout(30_000);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'boxlab-web-flow-'));
      const marker = path.join(dir, 'done');
      try {
        const s = await open();
        s.write('echo ready-$((2+2))\r');
        await waitFor(/ready-4/);
        s.pause();
        await new Promise((r) => setTimeout(r, 100));
        s.write(`seq 1 3000000; touch '${marker}'\r`);
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(existsSync(marker), false, 'the flood finished while paused: its output was read and held somewhere');
        s.resume();
        const end = Date.now() + 20_000;
        while (!existsSync(marker)) {
          if (Date.now() > end) assert.fail('the flood did not finish after resume');
          await new Promise((r) => setTimeout(r, 50));
        }
        await waitFor(/^3000000\r?$/m, 10_000);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reports the exit code when the shell exits, and close() is idempotent', async () => {
      const s = await open();
      const exited = new Promise<number>((resolve) => s.onExit((e) => resolve(e.code)));
      s.write('exit 7\r');
      assert.equal(await exited, 7);
      s.close();
      s.close();
    });

    it('close() ends a running shell', async () => {
      const s = await open();
      const exited = new Promise<void>((resolve) => s.onExit(() => resolve()));
      s.close();
      await exited;
    });
  });
}
