// `docker top`: run ps on the host and keep the rows whose PID is in the container's cgroup, as Docker
// does. Pure parser of ps output (the last column, the command, may contain spaces).
import { invalidArgument } from '../../core/errors.js';

export function parsePsOutput(stdout: string, pids: readonly number[]): { Titles: string[]; Processes: string[][] } {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return { Titles: [], Processes: [] };
  const titles = lines[0].trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol === -1) throw invalidArgument('Couldn\'t find PID field in ps output', { suggestions: ['keep the pid column in the ps options, e.g. -o pid,comm'] });
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const row = [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')];
    if (wanted.has(Number(row[pidCol]))) processes.push(row);
  }
  return { Titles: titles, Processes: processes };
}
