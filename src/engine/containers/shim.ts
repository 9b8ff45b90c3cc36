// The shim: a tiny POSIX shell process per container, standing between boxlabd and `runc run` the way
// containerd-shim does for Docker. It runs in its own session, so the container outlives the engine;
// it writes runc's exit status to a file (atomically) so a restarted engine still learns the exit code.
// That file's block is taken before the container runs, so a disk that fills up meanwhile cannot lose
// the exit; should the write fail all the same, the shim exits at once with the code as its own status,
// which boxlabd (its parent) reads, instead of waiting for an ack that would never come.
// Tty containers run runc under `script`, which owns the terminal, so they outlive the engine too.
// The script is a constant: every value reaches it as a positional parameter (or, for the command
// script runs, an environment variable), never inside the text.
// See docs/adr/0001-container-processes.md.

import { invalidArgument } from '../../core/errors.js';
import { runcArgs } from './runc.js';

export const SHIM_NAME = 'boxlab-shim';

/**
 * Under `script` (util-linux), for tty containers: runc needs a controlling terminal, and script makes
 * one whose other end it copies to its own stdio (our fifos). script runs a command string, not an
 * argument list, so the values come from the environment: runc's arguments one a line in
 * BOXLAB_RUNC_ARGS, split on newlines only and never globbed (buildShimArgs refuses a newline in one).
 */
export const TTY_COMMAND =
  'stty rows "$BOXLAB_ROWS" cols "$BOXLAB_COLS"; tty > "$BOXLAB_TTY_FILE"; ' +
  "IFS='\n'; set -f; exec runc $BOXLAB_RUNC_ARGS";

export const SHIM_SCRIPT = [
  // the rest of the parameters are `runc run`'s arguments (runc.ts's runcArgs.run)
  'exit_file=$1 stdin=$2 stdout=$3 stderr=$4 ack=$5 tty_file=$6 rows=$7 cols=$8; shift 8',
  // holding each output fifo read-write means there is always a reader: no SIGPIPE while boxlabd is down
  'exec 3<>"$stdout" 4<>"$stderr" 5<>"$ack" 1>&3 2>&4',
  // the exit file's block, taken while there is space: four bytes, as long as any code (0..255 and \n),
  // so writing the code into it later needs no new block
  '{ printf "   \\n" > "$exit_file.tmp"; } 2>/dev/null',
  'if [ -n "$tty_file" ]; then',
  // a terminal has no EOF: ^D is typed through it; so stdin stays open (read-write) for good
  '  exec 0<>"$stdin" 2>&3',
  '  BOXLAB_RUNC_ARGS=$(printf "%s\\n" "$@") BOXLAB_TTY_FILE=$tty_file BOXLAB_ROWS=$rows BOXLAB_COLS=$cols \\',
  '  SHELL=/bin/sh script -qefc "$BOXLAB_TTY_COMMAND" /dev/null',
  'else',
  '  if [ -n "$stdin" ]; then exec 0<"$stdin"; else exec 0</dev/null; fi',
  '  runc "$@"',
  'fi',
  'code=$?',
  // in place (1<> does not truncate, so no block is given back and asked for again), then renamed:
  // boxlabd waits for the name "exit"
  'if { printf "%3d\\n" "$code" 1<>"$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"; } 2>/dev/null; then',
  // output still in the fifos would be lost when the last holder closes them: wait until boxlabd,
  // having seen the exit file, has the fifos open and says so with a line on the ack fifo
  '  read -r _ <&5',
  'fi',
  // no exit file (the disk is full after all): no ack will come; boxlabd learns the code from this status
  'exit "$code"',
].join('\n');

export interface ShimParams {
  runcRoot: string;
  bundleDir: string;
  id: string;
  exitFile: string;
  pidFile: string;
  runcLog: string;
  /** '' when the container has no stdin (it gets /dev/null) */
  stdinFifo: string;
  stdoutFifo: string;
  stderrFifo: string;
  /** boxlabd writes a line here once it has seen the exit file */
  ackFifo: string;
  /** tty containers: where the shim writes the name of script's terminal (for resize); '' otherwise */
  ttyFile: string;
  rows: number;
  cols: number;
}

/** the environment of the shim: the engine's, plus the constant tty command (never a value in it) */
export function shimEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, BOXLAB_TTY_COMMAND: TTY_COMMAND };
}

/** `runc run`'s arguments for this shim (runc.ts builds them) */
export function shimRuncArgs(p: ShimParams): string[] {
  return runcArgs.run({ root: p.runcRoot, log: p.runcLog, pidFile: p.pidFile, bundle: p.bundleDir, id: p.id });
}

/** argv for `sh`: -c <constant script> boxlab-shim <values...> <runc run's arguments...> */
export function buildShimArgs(p: ShimParams): string[] {
  const runc = shimRuncArgs(p);
  // a tty container's shim hands them to script one a line (TTY_COMMAND)
  const bad = runc.find((a) => a === '' || a.includes('\n'));
  if (bad !== undefined) throw invalidArgument(`runc argument ${JSON.stringify(bad)} is empty or has a newline: the shim cannot pass it on`);
  return ['-c', SHIM_SCRIPT, SHIM_NAME, p.exitFile, p.stdinFifo, p.stdoutFifo, p.stderrFifo, p.ackFifo, p.ttyFile, String(p.rows), String(p.cols), ...runc];
}

/** does /proc/<pid>/cmdline belong to the shim of this container? (guards against a reused pid) */
export function isShimCmdline(cmdline: string, id: string): boolean {
  const argv = cmdline.split('\0');
  return argv.includes(SHIM_NAME) && argv.includes(id);
}

/** the exit file holds runc's exit status: the container's code, or 128+signal */
export function parseExitFile(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 255 ? n : undefined;
}

/** the last error runc wrote to its --log-format json log, e.g. why the process could not start */
export function lastRuncError(logText: string): string | undefined {
  let found: string | undefined;
  for (const line of logText.split('\n')) {
    try {
      const v = JSON.parse(line) as { level?: string; msg?: string };
      if ((v.level === 'error' || v.level === 'fatal') && v.msg) found = v.msg;
    } catch {
      // not a JSON line
    }
  }
  return found;
}
