// Finding and reading lab folders: a lab is a folder with lab.md (or index.md); the catalog is every
// such folder under the labs root (the package's labs/, or $BOXLAB_LABS), whose tracks.yaml names the
// tracks the labs belong to (lab-tracks.ts); a lab's track and prerequisites are checked against them.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument, notFound } from '../core/errors.js';
import { formatProblem, type Lab, type LabProblem } from './lab-model.js';
import { checkLabSource } from './lab-validator.js';
import { matchLabId } from './lab-id-match.js';
import { labMessage } from './lab-messages.js';
import { catalogProblems, parseTracks, TRACKS_FILE, type ParsedTracks } from './lab-tracks.js';
import type { Lang } from '../core/lang.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

export const LAB_FILES = ['lab.md', 'index.md'] as const;

export interface LoadedLab {
  dir: string;
  lab: Lab;
  problems: LabProblem[];
}

export function defaultLabsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOXLAB_LABS ?? path.join(PACKAGE_ROOT, 'labs');
}

export function labFileIn(dir: string): string | undefined {
  return LAB_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
}

/** what a lab is checked against: the tracks of its labs root and the ids of the labs there */
export interface CatalogContext {
  tracks?: ParsedTracks;
  labIds: string[];
}

/** the tracks (if the root has a tracks.yaml) and lab ids of a labs root, read once for a whole catalog */
export async function readCatalogContext(root: string): Promise<CatalogContext> {
  const tracksFile = path.join(root, TRACKS_FILE);
  const tracks = existsSync(tracksFile) ? parseTracks(await fs.readFile(tracksFile, 'utf8'), path.relative(process.cwd(), tracksFile) || tracksFile) : undefined;
  const labIds: string[] = [];
  for (const name of await fs.readdir(root).catch(() => [] as string[])) {
    const file = labFileIn(path.join(root, name));
    // the id from the front matter without reading or parsing the whole lab (every lab command reads the
    // catalog: its labs are 1.4 MB of text)
    const id = file && /^id:\s*['"]?([^\s'"]+)/m.exec(await frontMatterText(file))?.[1];
    if (id) labIds.push(id);
  }
  const out: CatalogContext = { labIds };
  if (tracks) out.tracks = tracks;
  return out;
}

const FRONT_MATTER_END = /\n---\s*\n/;

/** the start of a lab file up to the end of its front matter: its first 4 KiB, or the whole file when the front matter is longer */
async function frontMatterText(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8');
    if (FRONT_MATTER_END.test(head) || bytesRead < buf.length) return head.split(FRONT_MATTER_END)[0]!;
    return (await fs.readFile(file, 'utf8')).split(FRONT_MATTER_END)[0]!;
  } finally {
    await handle.close();
  }
}

export async function loadLab(dir: string, catalog?: CatalogContext): Promise<LoadedLab> {
  const file = labFileIn(dir);
  if (!file) throw notFound(`no lab in "${dir}"`, { suggestions: [`a lab folder holds ${LAB_FILES.join(' or ')}`] });
  const source = await fs.readFile(file, 'utf8');
  const { lab, problems } = checkLabSource(source, path.relative(process.cwd(), file) || file);
  if (lab.track !== undefined || lab.requires.length > 0) {
    const ctx = catalog ?? (await readCatalogContext(path.dirname(path.resolve(dir))));
    problems.push(...catalogProblems(lab, source, ctx.tracks?.tracks, ctx.labIds));
    if (lab.track !== undefined) problems.push(...(ctx.tracks?.problems ?? []));
    problems.sort((a, b) => (a.file === b.file ? a.line - b.line : 0));
  }
  return { dir, lab, problems };
}

/** a lab without problems, or an INVALID_ARGUMENT error listing all of them */
export async function loadValidLab(dir: string, catalog?: CatalogContext): Promise<Lab> {
  const { lab, problems } = await loadLab(dir, catalog);
  if (problems.length > 0) {
    throw invalidArgument(`lab "${dir}" has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`, {
      suggestions: ['fix them; docs/lab-format.md describes the format'],
    });
  }
  return lab;
}

export async function listLabs(root: string = defaultLabsRoot()): Promise<LoadedLab[]> {
  let names: string[];
  try {
    names = (await fs.readdir(root)).sort();
  } catch {
    return [];
  }
  const catalog = await readCatalogContext(root);
  const out: LoadedLab[] = [];
  for (const name of names) {
    const dir = path.join(root, name);
    if (labFileIn(dir)) out.push(await loadLab(dir, catalog));
  }
  return out;
}

export async function findLab(idOrDir: string, root: string = defaultLabsRoot()): Promise<Lab> {
  return (await findLabWithDir(idOrDir, root)).lab;
}

/**
 * a lab by folder, or by what a student types for an id (the full id, its number, its name without the
 * number: lab-id-match.ts), with its absolute folder; an unknown or ambiguous name fails with the
 * closest ids ("did you mean ...?"), in the student's language
 */
export async function findLabWithDir(idOrDir: string, root: string = defaultLabsRoot(), lang: Lang = 'en'): Promise<{ lab: Lab; dir: string }> {
  if (labFileIn(idOrDir)) return { lab: await loadValidLab(idOrDir), dir: path.resolve(idOrDir) };
  const labs = await listLabs(root);
  const hit = labs.find((l) => l.lab.id === idOrDir || path.basename(l.dir) === idOrDir) ?? matchedLab(idOrDir, labs, root, lang);
  return { lab: await loadValidLab(hit.dir), dir: path.resolve(hit.dir) };
}

function matchedLab(query: string, labs: readonly LoadedLab[], root: string, lang: Lang): LoadedLab {
  const m = matchLabId(query, labs.map((l) => l.lab.id));
  if (m.kind === 'found') return labs.find((l) => l.lab.id === m.id)!;
  const ids = m.kind === 'ambiguous' ? m.candidates : m.suggestions;
  const suggestions = ids.length > 0 ? [labMessage(lang, 'lab.did-you-mean', { ids: ids.join(labMessage(lang, 'lab.or')) })] : [];
  suggestions.push(labMessage(lang, 'lab.see-list'));
  if (m.kind === 'ambiguous') throw invalidArgument(labMessage(lang, 'lab.ambiguous', { query, count: ids.length, ids: ids.join(', ') }), { suggestions });
  throw notFound(labMessage(lang, 'lab.not-found', { query, root }), { suggestions });
}

/** where boxlabd listens in a sandbox (the engine's default socket) */
export const SANDBOX_DOCKER_HOST = 'unix:///run/boxlab/docker.sock';

/**
 * What every lab script (setup, checks, solution, teardown) gets in its environment. A lab that needs
 * the engine also gets DOCKER_HOST, so its `docker` commands reach boxlabd and never whatever other
 * engine the machine runs: the sandbox's default socket, or BOXLAB_DOCKER_HOST (how `lab test` with
 * the local provider points a lab at a boxlabd started elsewhere, e.g. by the integration tests).
 */
export function labEnv(lab: Lab, workDir: string, host: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = { LAB_ID: lab.id, LAB_DIR: workDir };
  if (lab.needs.engine) env.DOCKER_HOST = host.BOXLAB_DOCKER_HOST || SANDBOX_DOCKER_HOST;
  return env;
}

/** the default work folder of a lab in the sandbox */
export function defaultLabWorkDir(labId: string): string {
  return `/tmp/boxlab-lab/${labId}`;
}
