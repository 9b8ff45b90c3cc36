// The body of POST /containers/{id}/exec (`docker exec`), decoded once into ExecCreateBody with dockerd's
// words (its Go type is types.ExecConfig). An exec needs a command: dockerd says "No exec command specified".
import { invalidArgument } from '../../../core/errors.js';
import type { ExecCreateBody } from '../../docker-model.js';
import { bool, decodeBody, list, string, struct } from './go-json.js';

const strings = list(string, '[]string');

const execConfig = struct<ExecCreateBody>('ExecConfig', 'types.ExecConfig', {
  AttachStdin: bool,
  AttachStdout: bool,
  AttachStderr: bool,
  DetachKeys: string,
  Tty: bool,
  Env: strings,
  Cmd: strings,
  Privileged: bool,
  User: string,
  WorkingDir: string,
});

export function parseExecCreate(json: unknown): ExecCreateBody {
  const body = decodeBody(json, execConfig, 'types.ExecConfig');
  if (!body?.Cmd || body.Cmd.length === 0) throw invalidArgument('No exec command specified', { suggestions: ['send {"Cmd": ["sh", "-c", "..."]}'] });
  return body;
}

/** POST /exec/{id}/start: types.ExecStartCheck */
export function parseExecStart(json: unknown): { Detach?: boolean; Tty?: boolean } {
  return decodeBody(json, struct<{ Detach?: boolean; Tty?: boolean }>('ExecStartCheck', 'types.ExecStartCheck', { Detach: bool, Tty: bool }), 'types.ExecStartCheck') ?? {};
}
