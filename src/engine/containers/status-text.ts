// The Status column of `docker ps` ("Up 3 seconds", "Up 1 minute (healthy)", "Exited (0) 5 seconds ago", "Created"), worded as
// Docker's State.String() and go-units' HumanDuration word it. Pure; `now` is passed in.
import type { ContainerStateRecord } from './container-record.js';
import { ZERO_TIME } from './container-record.js';
import { healthSuffix } from './health-state.js';

/** go-units HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3600000 / 24 / 365)} years`;
}

const since = (time: string, now: number) => humanDuration(Math.max(0, now - Date.parse(time)));

export function statusText(state: ContainerStateRecord, now: number = Date.now()): string {
  switch (state.Status) {
    case 'paused':
      return `Up ${since(state.StartedAt, now)} (Paused)`;
    case 'restarting':
      return `Restarting (${state.ExitCode}) ${since(state.FinishedAt, now)} ago`;
    case 'running':
      return `Up ${since(state.StartedAt, now)}${healthSuffix(state.Health)}`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      if (state.StartedAt === ZERO_TIME) return 'Created';
      if (state.FinishedAt === ZERO_TIME) return '';
      return `Exited (${state.ExitCode}) ${since(state.FinishedAt, now)} ago`;
  }
}
