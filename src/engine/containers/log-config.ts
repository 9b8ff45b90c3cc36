// Docker's log drivers as boxlab knows them (`docker run --log-driver/--log-opt`, HostConfig.LogConfig):
// json-file (the default, with its max-size/max-file rotation options) and none (no log kept). Pure:
// the size parser is go-units' FromHumanSize, which dockerd's json-file driver uses ("10k" = 10000 bytes,
// decimal: not RAMInBytes' 1024), and the errors are dockerd's words (daemon/logger/jsonfilelog).
// Unlike Docker, whose json-file default is unlimited, boxlab caps a log that sets no max-size at
// DEFAULT_MAX_SIZE x DEFAULT_MAX_FILE: the sandbox VM's disk is small, and a chatty container must not fill it.
import { failedPrecondition, invalidArgument } from '../../core/errors.js';
import type { HostConfig } from '../docker-model.js';

export const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILE = 3;

export type LogDriver = 'json-file' | 'none';

/** how a container's log is kept: maxSize in bytes, maxFile files in all (the current one and rotated ones) */
export interface LogPolicy {
  driver: LogDriver;
  maxSize: number;
  maxFile: number;
}

/** a json-file log with the engine's cap: what a container that sets nothing gets */
export const DEFAULT_LOG_POLICY: LogPolicy = { driver: 'json-file', maxSize: DEFAULT_MAX_SIZE, maxFile: DEFAULT_MAX_FILE };

/** the options Docker's json-file driver accepts; boxlab uses max-size and max-file, and ignores the rest */
const JSON_FILE_OPTS = new Set(['max-size', 'max-file', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag']);

const UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };

/** go-units' FromHumanSize: "10k", "1.5m", "1g", "512", "10 KB" in powers of 1000 */
export function humanSizeBytes(value: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!m || Number.isNaN(n)) throw invalidArgument(`invalid size: '${value}'`, { suggestions: ['give a size like 10k, 5m or 1g'] });
  return Math.trunc(n * UNITS[(m[2] ?? '').toLowerCase()]);
}

/** the LogConfig stored with the container and shown by `docker inspect`: an empty Type is json-file */
export function normalizeLogConfig(h: HostConfig): { Type: string; Config: Record<string, string> } {
  return { Type: h.LogConfig?.Type || 'json-file', Config: { ...(h.LogConfig?.Config ?? {}) } };
}

/** drivers dockerd has built in: boxlab names them as not supported (any other name is a missing plugin) */
const DOCKERD_DRIVERS = new Set(['local', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'etwlogs', 'gcplogs', 'logentries']);
const DRIVER_HINT = 'boxlab keeps logs with --log-driver json-file (the default) or none';

/** what dockerd checks at create (logger.ValidateLogOpts): the driver's name and the option names */
export function checkLogConfig(h: HostConfig): void {
  const { Type: type, Config: opts } = normalizeLogConfig(h);
  const keys = Object.keys(opts);
  if (type === 'none') {
    if (keys.length > 0) throw invalidArgument(`unknown log opt '${keys[0]}' for none log driver`);
    return;
  }
  if (DOCKERD_DRIVERS.has(type)) throw invalidArgument(`log driver '${type}' is not supported by boxlab`, { suggestions: [DRIVER_HINT] });
  if (type !== 'json-file') throw invalidArgument(`error looking up logging plugin ${type}: plugin "${type}" not found`, { suggestions: [DRIVER_HINT] });
  for (const key of keys) if (!JSON_FILE_OPTS.has(key)) throw invalidArgument(`unknown log opt '${key}' for json-file log driver`);
}

/**
 * How a container's log is kept (the engine cap filled in). dockerd reads the option values only when
 * the container starts (jsonfilelog.New), so a bad max-size is a start error, worded as dockerd's is.
 */
export function logPolicy(h: HostConfig): LogPolicy {
  try {
    return readPolicy(h);
  } catch (err) {
    throw invalidArgument(`failed to initialize logging driver: ${(err as Error).message}`, { suggestions: ['fix the --log-opt value and create the container again'] });
  }
}

function readPolicy(h: HostConfig): LogPolicy {
  checkLogConfig(h);
  const { Type: type, Config: opts } = normalizeLogConfig(h);
  if (type === 'none') return { driver: 'none', maxSize: 0, maxFile: 0 };
  const maxSize = opts['max-size'] === undefined ? DEFAULT_MAX_SIZE : humanSizeBytes(opts['max-size']);
  if (maxSize <= 0) throw invalidArgument('max-size must be a positive number');
  let maxFile = opts['max-size'] === undefined ? DEFAULT_MAX_FILE : 1;
  if (opts['max-file'] !== undefined) {
    maxFile = Number(opts['max-file']);
    if (!/^[+-]?\d+$/.test(opts['max-file'])) throw invalidArgument(`strconv.Atoi: parsing "${opts['max-file']}": invalid syntax`);
    if (maxFile < 1) throw invalidArgument('max-file cannot be less than 1');
  }
  const compress = opts.compress;
  if (compress !== undefined && !/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(compress))
    throw invalidArgument(`strconv.ParseBool: parsing "${compress}": invalid syntax`);
  // dockerd gzips rotated files with compress=true; boxlab keeps them plain (one reader, fewer moving parts)
  if (/^(1|t|T|TRUE|true|True)$/.test(compress ?? '') && (maxFile === 1 || opts['max-size'] === undefined))
    throw invalidArgument('compress cannot be true when max-file is less than 2 or max-size is not set');
  return { driver: 'json-file', maxSize, maxFile };
}

/** the policy of a container already created (checked then): a record from before this check gets the default */
export function logPolicyOf(h: HostConfig): LogPolicy {
  try {
    return logPolicy(h);
  } catch {
    return DEFAULT_LOG_POLICY;
  }
}

/** `docker logs` of a container whose driver keeps nothing: dockerd's answer */
export function assertLogReadable(driver: string | undefined): void {
  if (driver === 'none')
    throw failedPrecondition('configured logging driver does not support reading', { suggestions: ['this container runs with --log-driver none: its output is kept nowhere'] });
}
