// The files of a rotated json-file log, named as Docker names them: <id>-json.log is the one being
// written, <id>-json.log.1 the one before it, ... up to .<max-file - 1>, the oldest. Rotation renames
// each one a step older (the oldest falls off) and starts an empty <id>-json.log. Pure: names and plans.

/** all the files of a log, oldest first: what `docker logs` reads, in that order */
export function logFilesOldestFirst(logPath: string, maxFile: number): string[] {
  const rotated = Array.from({ length: Math.max(0, maxFile - 1) }, (_, i) => `${logPath}.${maxFile - 1 - i}`);
  return [...rotated, logPath];
}

/**
 * The renames of one rotation, in the order to do them: .<n-2> -> .<n-1> first (overwriting, so
 * dropping, the oldest), ..., then the current file -> .1. Empty for max-file 1: the file is emptied instead.
 */
export function rotationRenames(logPath: string, maxFile: number): Array<[from: string, to: string]> {
  if (maxFile < 2) return [];
  const renames: Array<[string, string]> = [];
  for (let i = maxFile - 1; i > 1; i--) renames.push([`${logPath}.${i - 1}`, `${logPath}.${i}`]);
  renames.push([logPath, `${logPath}.1`]);
  return renames;
}

/**
 * Docker's check before each record (loggerutils.LogFile): a file that has reached max-size is rotated
 * before the next record goes in, so a file can pass max-size by at most one record.
 */
export function shouldRotate(currentBytes: number, maxSize: number): boolean {
  return maxSize > 0 && currentBytes >= maxSize;
}
