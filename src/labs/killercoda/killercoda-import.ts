// `boxlab lab import <dir>`: reads a Killercoda scenario folder (index.json and the markdown and
// scripts it names), converts it (killercoda-scenario.ts), validates the result like any lab, and
// writes <out>/lab.md. Nothing is written when the folder is not a scenario.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { alreadyExists, invalidArgument, notFound } from '../../core/errors.js';
import { formatProblem } from '../lab-model.js';
import { checkLabSource } from '../lab-validator.js';
import { convertKillercodaScenario, slug, type ImportNote } from './killercoda-scenario.js';

export interface ImportOptions {
  /** the lab folder to write; default labs/<scenario folder name> under the current folder */
  out?: string;
  /** replace an existing lab.md */
  force?: boolean;
}

export interface ImportResult {
  id: string;
  file: string;
  notes: ImportNote[];
  /** validator problems of the written lab (empty when it is valid) */
  problems: string[];
}

/** files a scenario may reference: text and scripts only, at most this deep */
const MAX_DEPTH = 4;
const TEXT_FILE = /\.(md|sh|bash|txt|json|ya?ml)$/i;

export async function importKillercoda(dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const indexFile = path.join(dir, 'index.json');
  if (!existsSync(indexFile)) {
    const hint = existsSync(path.join(dir, 'index.yaml')) ? ['index.yaml (O\'Reilly/Katacoda variant) is not supported yet: convert it to index.json'] : ['a Killercoda scenario folder holds index.json'];
    throw notFound(`no index.json in "${dir}"`, { suggestions: hint });
  }
  let index: unknown;
  try {
    index = JSON.parse(await fs.readFile(indexFile, 'utf8'));
  } catch (err) {
    throw invalidArgument(`${indexFile} is not valid JSON: ${(err as Error).message}`, { suggestions: ['fix the JSON and import again'] });
  }
  const out = options.out ?? path.join('labs', path.basename(path.resolve(dir)));
  const id = slug(path.basename(path.resolve(out))) || 'imported-lab';
  const files = await readScenarioFiles(dir);
  const converted = convertKillercodaScenario(index, files, id);
  const file = path.join(out, 'lab.md');
  if (existsSync(file) && !options.force) throw alreadyExists(`lab "${file}" already exists`, { suggestions: ['pass --force to replace it', 'or choose another --out'] });
  const { problems } = checkLabSource(converted.markdown, file);
  await fs.mkdir(out, { recursive: true });
  await fs.writeFile(file, converted.markdown);
  return { id, file, notes: converted.notes, problems: problems.map(formatProblem) };
}

async function readScenarioFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string, depth: number) => {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(child, depth + 1);
      else if (entry.isFile() && TEXT_FILE.test(entry.name)) files.set(child, await fs.readFile(path.join(dir, child), 'utf8'));
    }
  };
  await walk('', 0);
  return files;
}
