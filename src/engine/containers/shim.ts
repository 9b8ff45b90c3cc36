// The shim: a tiny POSIX shell process per container, standing between boxlabd and `runc run` the way
// containerd-shim does for Docker. It runs in its own session, so the container outlives the engine;
// it writes runc's exit status to a file (atomically) so a restarted engine still learns the exit code.
// The script is a constant: every value reaches it as a positional parameter, never inside the text.
// See docs/adr/0001-container-processes.md.

export const SHIM_NAME = 'boxlab-shim';

export const SHIM_SCRIPT = [
  'root=$1 bundle=$2 id=$3 exit_file=$4 pid_file=$5 runc_log=$6 stdin=$7 stdout=$8 stderr=$9 ack=${10}',
  'if [ -n "$stdout" ]; then',
  // holding each output fifo read-write means there is always a reader: no SIGPIPE while boxlabd is down
  '  exec 3<>"$stdout" 4<>"$stderr" 5<>"$ack" 1>&3 2>&4',
  '  if [ -n "$stdin" ]; then exec 0<"$stdin"; else exec 0</dev/null; fi',
  'fi',
  'runc --root "$root" --log "$runc_log" --log-format json run --keep --pid-file "$pid_file" --bundle "$bundle" "$id"',
  'code=$?',
  'echo "$code" > "$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"',
  // output still in the fifos would be lost when the last holder closes them: wait until boxlabd,
  // having seen the exit file, has the fifos open and says so with a line on the ack fifo
  'if [ -n "$stdout" ]; then read -r _ <&5; fi',
  'exit "$code"',
].join('\n');

export interface ShimParams {
  runcRoot: string;
  bundleDir: string;
  id: string;
  exitFile: string;
  pidFile: string;
  runcLog: string;
  /** '' when the container has no stdin (it gets /dev/null) or runs under a pty */
  stdinFifo: string;
  /** '' under a pty: runc then uses the terminal it inherits */
  stdoutFifo: string;
  stderrFifo: string;
  /** boxlabd writes a line here once it has seen the exit file (unused under a pty) */
  ackFifo: string;
}

/** argv for `sh`: -c <constant script> boxlab-shim <values...> */
export function buildShimArgs(p: ShimParams): string[] {
  return ['-c', SHIM_SCRIPT, SHIM_NAME, p.runcRoot, p.bundleDir, p.id, p.exitFile, p.pidFile, p.runcLog, p.stdinFifo, p.stdoutFifo, p.stderrFifo, p.ackFifo];
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
