import { ptyTerminalFactory } from '../../../../src/web/terminal/pty-terminal-session.js';
import { terminalSessionContract } from './terminal-session-contract.js';

// bash without the user's rc files, so a prompt or alias cannot change what the contract reads
terminalSessionContract('PtyTerminalSession (bash under node-pty)', ptyTerminalFactory({ file: 'bash', args: ['--norc', '--noprofile', '-i'] }));
