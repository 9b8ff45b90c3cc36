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
}

export const GUEST_TIMEOUT_EXIT_CODE = 124;

/** the argv a provider runs for a command: scripts go through bash -c (lab author content, never user input) */
export function guestArgv(command: GuestCommand): string[] {
  return Array.isArray(command) ? command : ['bash', '-c', command.script];
}
