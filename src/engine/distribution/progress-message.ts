// The JSON message stream `docker pull` / `docker push` print (moby's jsonmessage): one object per line,
// {"status":"Downloading","id":"<short layer digest>","progressDetail":{"current":..,"total":..},
// "progress":"[==>   ]  1.2MB/2.1MB"}. The CLI redraws one line per id. Pure builders.

export interface JsonMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message: string };
}

export type ProgressSink = (message: JsonMessage) => void;

/** Docker's units.HumanSize: 4 significant digits, decimal units ("2.152MB", "22B", "1.049kB") */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${Number(value.toPrecision(4))}${units[i]}`;
}

/** "[=====>      ]  1.2MB/2.1MB": 50 columns, as moby's JSONProgress.String */
export function progressBar(current: number, total: number): string {
  const width = 50;
  const filled = total > 0 ? Math.min(width, Math.floor((width * current) / total)) : 0;
  const bar = filled > 0 ? `${'='.repeat(filled - 1)}>` : '>';
  return `[${bar.padEnd(width, ' ')}]  ${humanSize(current)}/${humanSize(total)}`;
}

export function statusMessage(status: string, id?: string): JsonMessage {
  return id === undefined ? { status } : { status, progressDetail: {}, id };
}

export function progressMessage(status: string, id: string, current: number, total: number): JsonMessage {
  return { status, progressDetail: { current, total }, progress: progressBar(current, total), id };
}

export function errorMessage(message: string): JsonMessage {
  return { errorDetail: { message }, error: message };
}
