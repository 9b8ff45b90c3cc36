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

export const SHIM_NAME = 'boxlab-shim';

/**
 * Under `script` (util-linux), for tty containers: runc needs a controlling terminal, and script makes
 * one whose other end it copies to its own stdio (our fifos). Values come from the environment.
 */
export const TTY_COMMAND =
  'stty rows "$BOXLAB_ROWS" cols "$BOXLAB_COLS"; tty > "$BOXLAB_TTY_FILE"; ' +
  'exec runc --root "$BOXLAB_ROOT" --log "$BOXLAB_RUNC_LOG" --log-format json run --keep --pid-file "$BOXLAB_PID_FILE" --bundle "$BOXLAB_BUNDLE" "$BOXLAB_ID"';

export const SHIM_SCRIPT = [
  'root=$1 bundle=$2 id=$3 exit_file=$4 pid_file=$5 runc_log=$6 stdin=$7 stdout=$8 stderr=$9 ack=${10} tty_file=${11} rows=${12} cols=${13}',
  // holding each output fifo read-write means there is always a reader: no SIGPIPE while boxlabd is down
  'exec 3<>"$stdout" 4<>"$stderr" 5<>"$ack" 1>&3 2>&4',
  // the exit file's block, taken while there is space: four bytes, as long as any code (0..255 and \n),
  // so writing the code into it later needs no new block
  '{ printf "   \\n" > "$exit_file.tmp"; } 2>/dev/null',
  'if [ -n "$tty_file" ]; then',
  // a terminal has no EOF: ^D is typed through it; so stdin stays open (read-write) for good
  '  exec 0<>"$stdin" 2>&3',
  '  BOXLAB_ROOT=$root BOXLAB_BUNDLE=$bundle BOXLAB_ID=$id BOXLAB_PID_FILE=$pid_file BOXLAB_RUNC_LOG=$runc_log \\',
  '  BOXLAB_TTY_FILE=$tty_file BOXLAB_ROWS=$rows BOXLAB_COLS=$cols SHELL=/bin/sh script -qefc "$BOXLAB_TTY_COMMAND" /dev/null',
  'else',
  '  if [ -n "$stdin" ]; then exec 0<"$stdin"; else exec 0</dev/null; fi',
  '  runc --root "$root" --log "$runc_log" --log-format json run --keep --pid-file "$pid_file" --bundle "$bundle" "$id"',
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

/** argv for `sh`: -c <constant script> boxlab-shim <values...> */
export function buildShimArgs(p: ShimParams): string[] {
  return ['-c', SHIM_SCRIPT, SHIM_NAME, p.runcRoot, p.bundleDir, p.id, p.exitFile, p.pidFile, p.runcLog, p.stdinFifo, p.stdoutFifo, p.stderrFifo, p.ackFifo, p.ttyFile, String(p.rows), String(p.cols)];
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
