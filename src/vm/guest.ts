// Guest: the port through which labs (and later the web terminal) reach a sandbox, whatever provides
// it (QEMU, Multipass, SSH, or this host for development). Labs never touch engine internals: a check
// is a shell command run here. Kept small on purpose; sandbox providers (issue 6) extend it.

export interface GuestExecOptions {
  /** the command is killed after this many milliseconds (exit code 124, like coreutils timeout) */
  timeoutMs?: number;
  env?: Record<string, string>;
  input?: string;
}

export interface GuestExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** an argv runs as is; a script runs as `bash -c <script>` in the guest */
export type GuestCommand = string[] | { script: string };

export interface Guest {
  /** a short name for messages: "local", "qemu:lab1", ... */
  readonly name: string;
  exec(command: GuestCommand, options?: GuestExecOptions): Promise<GuestExecResult>;
  /** an interactive login shell on a pseudo-terminal (the web terminal wraps it); optional for doubles */
  openShell?(options?: GuestShellOptions): Promise<GuestShell>;
  /** copies a host file or folder into the guest (sftp for SSH guests) */
  copyTo?(hostPath: string, guestPath: string): Promise<void>;
  /** copies a guest file or folder to the host */
  copyFrom?(guestPath: string, hostPath: string): Promise<void>;
  /** streams a command's output as it comes (exit code at the end); exec() buffers instead */
  execStream?(command: GuestCommand, sink: GuestOutputSink, options?: GuestExecOptions): Promise<number>;
  /** releases the connection (one multiplexed SSH connection per VM); the guest is unusable afterwards */
  close?(): Promise<void>;
  /**
   * how many times slower than native hardware commands run here (TCG_SLOWDOWN in a VM whose CPU QEMU
   * emulates); lab check timeouts, written for native speed, are multiplied by it. Absent: 1.
   */
  slowdown?(): Promise<number>;
}

/**
 * A VM whose CPU QEMU emulates (TCG, no KVM) runs commands this many times slower than the host does,
 * measured 2026-12-06 on this project's 2-core CI host: `docker --version` 0.15 s on the host against
 * 1.9-2.3 s in a TCG guest, `docker inspect` 1-2 s there (a check of four of them timed out at 10 s).
 */
export const TCG_SLOWDOWN = 10;

export interface GuestShellOptions {
  cols?: number;
  rows?: number;
  /** the TERM the shell sees, default xterm-256color */
  term?: string;
}

/** a shell on a pty: bytes both ways, a window size, and an exit code when the shell ends */
export interface GuestShell {
  write(data: string | Buffer): void;
  onData(listener: (data: Buffer) => void): void;
  onExit(listener: (exitCode: number) => void): void;
  resize(cols: number, rows: number): void;
  /** ends the shell (closes the channel) */
  close(): void;
  /**
   * stop reading the shell's output: an ssh channel then stops granting window, so the remote program
   * blocks instead of its output piling up in memory (the web terminal's flow control); optional
   */
  pause?(): void;
  /** read again (and let the remote program go on) */
  resume?(): void;
}

export interface GuestOutputSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

export const GUEST_TIMEOUT_EXIT_CODE = 124;

/** the argv a provider runs for a command: scripts go through bash -c (lab author content, never user input) */
export function guestArgv(command: GuestCommand): string[] {
  return Array.isArray(command) ? command : ['bash', '-c', command.script];
}
