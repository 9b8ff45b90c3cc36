// The terminal session contract over ssh2, the way the page reaches qemu and ssh sandboxes: a throw-away
// OpenSSH server on 127.0.0.1, SshGuest.openShell, wrapped by GuestTerminalSession.
import { readFileSync } from 'node:fs';
import { SshGuest } from '../../../src/vm/providers/ssh/ssh-guest.js';
import { guestTerminalFactory } from '../../../src/web/terminal/guest-terminal-session.js';
import { requires } from '../../helpers/requires.js';
import { startLocalSshd, type LocalSshd } from '../../integration/vm/local-sshd.js';
import { terminalSessionContract } from '../../unit/web/terminal/terminal-session-contract.js';

describe('web terminal over ssh', function () {
  let sshd: LocalSshd | undefined;
  let guest: SshGuest | undefined;

  before(async function () {
    requires(this, 'root', 'sshd');
    sshd = await startLocalSshd();
    guest = await SshGuest.connect('sshd-test', { host: '127.0.0.1', port: sshd.port, user: 'root', privateKey: readFileSync(sshd.identity) });
  });

  after(async () => {
    await guest?.close();
    await sshd?.stop();
  });

  terminalSessionContract('GuestTerminalSession (ssh2 shell channel)', (options) => guestTerminalFactory(guest!)(options));
});
