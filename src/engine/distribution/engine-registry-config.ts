// The engine's registry settings, as in dockerd's daemon.json: {"registry-mirrors": ["http://127.0.0.1:5000"],
// "insecure-registries": ["myreg:5000"]}, read from /etc/boxlab/engine.json (or BOXLAB_ENGINE_CONFIG), and
// BOXLAB_REGISTRY_MIRRORS (comma separated) on top. A missing file means no mirrors.
import { readFileSync } from 'node:fs';
import { invalidArgument } from '../../core/errors.js';
import type { EndpointOptions } from './registry-endpoint.js';

export const ENGINE_CONFIG_FILE = '/etc/boxlab/engine.json';

/** parses the JSON text of an engine config file (pure) */
export function parseEngineRegistryConfig(text: string, file: string): EndpointOptions {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw invalidArgument(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const list = (key: string): string[] => {
    const v = json[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidArgument(`${file}: "${key}" must be a list of strings`);
    return v as string[];
  };
  const mirrors = list('registry-mirrors');
  for (const m of mirrors) {
    if (!/^https?:\/\/[^/]+\/?$/.test(m)) throw invalidArgument(`${file}: registry mirror "${m}" must be a URL such as http://127.0.0.1:5000`);
  }
  return { mirrors, insecureRegistries: list('insecure-registries') };
}

export function readEngineRegistryConfig(env: NodeJS.ProcessEnv = process.env): EndpointOptions {
  const file = env.BOXLAB_ENGINE_CONFIG ?? ENGINE_CONFIG_FILE;
  let options: EndpointOptions = {};
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) options = parseEngineRegistryConfig(text, file);
  const extra = (env.BOXLAB_REGISTRY_MIRRORS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { ...options, mirrors: [...extra, ...(options.mirrors ?? [])] };
}
