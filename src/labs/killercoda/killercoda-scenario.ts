// A Killercoda scenario (index.json + the files it names) -> a boxlab lab.md (pure). Mapping, decided
// in docs/lab-format.md ("Importing a Killercoda scenario"):
//   title/description/time/difficulty -> front matter; details.intro.text -> the intro;
//   details.intro.background -> the lab's setup; each details.steps[i] -> "## step", its text, its
//   verify script -> a check (exit 0 passes, 30s timeout), its {{exec}} commands -> the solution;
//   details.finish.text -> appended to the last step's text.
// Scenarios have English text only: each zh section carries the English text under a note saying so,
// so the lab passes the validator, and the import reports a warning asking for a translation.
// Everything else (assets, step backgrounds, foregrounds, other backends, legacy Katacoda fields) is
// listed as unsupported with the file it came from.
import yaml from 'js-yaml';
import { convertKillercodaMarkdown, type ImportNote } from './killercoda-markdown.js';

export type { ImportNote };

export interface KillercodaImport {
  id: string;
  markdown: string;
  notes: ImportNote[];
}

/** scenario files by path relative to the scenario folder */
export type ScenarioFiles = ReadonlyMap<string, string>;

export const VERIFY_TIMEOUT = '30s';
export const ZH_NOTE = '（本实验从 Killercoda 导入，尚无中文翻译，以下为英文原文。）';

const KNOWN_TOP = ['title', 'description', 'time', 'difficulty', 'details', 'backend', 'interface'];
const LEGACY_TOP = ['pathwayTitle', 'icon', 'private', 'noindex', 'type', 'files', 'environment'];
const PHASE_KEYS = ['title', 'text', 'foreground', 'background', 'verify'];
const LEVELS: Record<string, string> = { beginner: 'beginner', easy: 'beginner', intermediate: 'intermediate', medium: 'intermediate', advanced: 'advanced', hard: 'advanced', expert: 'advanced' };

type Json = Record<string, unknown>;

export function convertKillercodaScenario(index: unknown, files: ScenarioFiles, id: string): KillercodaImport {
  const notes: ImportNote[] = [];
  const at = (kind: ImportNote['kind'], message: string, file = 'index.json') => notes.push({ file, kind, message });
  const root = (index && typeof index === 'object' && !Array.isArray(index) ? index : {}) as Json;
  for (const key of Object.keys(root)) {
    if (LEGACY_TOP.includes(key)) at('unsupported', `legacy Katacoda field "${key}" is not imported`);
    else if (!KNOWN_TOP.includes(key)) at('unsupported', `unknown field "${key}" is not imported`);
  }
  const backend = (root.backend ?? {}) as Json;
  const image = typeof backend.imageid === 'string' ? backend.imageid : undefined;
  if (image && !image.startsWith('ubuntu')) at('unsupported', `backend.imageid "${image}" needs a Kubernetes sandbox; boxlab sandboxes run Docker (boxlabd) only`);
  if (root.interface !== undefined) at('unsupported', 'interface (IDE layout) is not imported: boxlab shows a terminal next to the text');

  const title = str(root.title) || id;
  const fm: Json = { id, title: { en: title, zh: `${title}（英文）` } };
  if (str(root.description)) fm.description = { en: str(root.description), zh: `${str(root.description)}（英文）` };
  const minutes = /(\d+)\s*(m|min)/i.exec(str(root.time));
  if (minutes) fm.duration = `${minutes[1]}m`;
  else if (root.time !== undefined) at('warning', `time "${str(root.time)}" is not in minutes; no duration was set`);
  const level = LEVELS[str(root.difficulty).toLowerCase()];
  if (level) fm.level = level;
  else if (root.difficulty !== undefined) at('warning', `difficulty "${str(root.difficulty)}" is not beginner, intermediate or advanced; no level was set`);
  fm.tags = ['killercoda'];

  const details = (root.details ?? {}) as Json;
  for (const key of Object.keys(details)) {
    if (key === 'assets') at('unsupported', 'details.assets (files uploaded to the host) are not copied; put them in the setup block');
    else if (!['intro', 'steps', 'finish'].includes(key)) at('unsupported', `unknown field "details.${key}" is not imported`);
  }
  const out: string[] = ['---', yaml.dump(fm, { flowLevel: 1, lineWidth: 200 }).trim(), '---', ''];

  const intro = (details.intro ?? {}) as Json;
  phaseKeys(intro, 'details.intro', at);
  const introText = readText(intro.text, 'details.intro.text').text;
  out.push(...langSections(introText || title, undefined), '');
  if (intro.foreground !== undefined) at('unsupported', `details.intro.foreground (${str(intro.foreground)}) types into the learner's terminal; boxlab does not run it`);
  const setup = scriptOf(intro.background ?? intro.courseData, 'details.intro.background');
  if (setup) out.push('```setup', setup, '```', '');
  if (intro.code !== undefined) at('unsupported', 'legacy details.intro.code is not imported');

  const steps = Array.isArray(details.steps) ? (details.steps as Json[]) : [];
  if (steps.length === 0) at('warning', 'the scenario has no steps; the lab has none either (the validator will say so)');
  const finish = (details.finish ?? {}) as Json;
  phaseKeys(finish, 'details.finish', at);
  if (finish.foreground !== undefined || finish.background !== undefined) at('unsupported', 'details.finish foreground/background scripts are not run');
  const finishText = readText(finish.text, 'details.finish.text').text;
  const usedIds = new Set<string>();

  steps.forEach((step, n) => {
    const where = `details.steps[${n}]`;
    phaseKeys(step, where, at);
    const stepId = uniqueId(slug(str(step.title)) || `step${n + 1}`, usedIds);
    const stepTitle = str(step.title) || `Step ${n + 1}`;
    const read = readText(step.text, `${where}.text`);
    let text = read.text;
    const execs = read.execs;
    if (n === steps.length - 1 && finishText) text += `\n\n---\n\n${finishText}`;
    out.push(`## step ${stepId}`, '', ...langSections(text || stepTitle, stepTitle), '');
    if (step.foreground !== undefined) at('unsupported', `${where}.foreground (${str(step.foreground)}) types into the learner's terminal; boxlab does not run it`);
    if (step.background !== undefined) at('unsupported', `${where}.background (${str(step.background)}) would run when the step starts; boxlab runs setup once per lab: move it into the setup block`);
    for (const legacy of ['answer', 'hint', 'code', 'courseData']) if (step[legacy] !== undefined) at('unsupported', `legacy field ${where}.${legacy} is not imported`);
    const verify = scriptOf(step.verify, `${where}.verify`);
    if (verify) out.push(`\`\`\`check verify timeout=${VERIFY_TIMEOUT}`, verify, '```', '');
    else {
      // Killercoda lets a learner continue from a step without verify; a check that always passes does the same
      at('warning', `${where} has no verify script: its check always passes (boxlab lab test will flag it); write one`);
      out.push('```check continue', 'say "this step has no check" "这一步没有检查"', '```', '');
    }
    const hintEn = 'Run the commands of this step in order; each one can be run with its run button.';
    const hintZh = '按顺序运行这一步里的命令；每条命令都可以用“运行”按钮执行。';
    out.push('```hint lang=en', hintEn, '```', '', '```hint lang=zh', hintZh, '```', '');
    if (execs.length > 0) out.push('```solution', ...execs, '```', '');
    else {
      at('warning', `${where} has no {{exec}} command to replay: its solution is empty; write one for boxlab lab test`);
      out.push('```solution', '# no {{exec}} command in this step: write what a learner would type', 'true', '```', '');
    }
  });
  if (steps.length === 0 && finishText) at('unsupported', 'details.finish.text has no step to go with and is not imported');
  at('warning', 'the scenario has English text only: each zh section carries it under a note; translate them');
  return { id, markdown: out.join('\n').replace(/\n{3,}/g, '\n\n'), notes };

  /** a phase's markdown converted, with its {{exec}} commands (a step's solution) */
  function readText(ref: unknown, where: string): { text: string; execs: string[] } {
    if (ref === undefined) return { text: '', execs: [] };
    const path = str(ref);
    const source = files.get(normalize(path));
    if (source === undefined) {
      at('unsupported', `${where} names "${path}", which is not in the scenario folder`);
      return { text: '', execs: [] };
    }
    const converted = convertKillercodaMarkdown(source, normalize(path));
    notes.push(...converted.notes);
    for (const m of source.matchAll(/!\[[^\]]*\]\(([^)]+)\)|<img\s[^>]*src=["']?([^"'\s>]+)/g)) {
      if (!/^https?:/.test(m[1] ?? m[2])) at('unsupported', `image ${m[1] ?? m[2]} is not copied; host it or drop it`, normalize(path));
    }
    return { text: converted.text, execs: converted.execs };
  }

  function scriptOf(ref: unknown, where: string): string | undefined {
    if (ref === undefined) return undefined;
    const source = files.get(normalize(str(ref)));
    if (source === undefined) {
      at('unsupported', `${where} names "${str(ref)}", which is not in the scenario folder`);
      return undefined;
    }
    // a shebang line is harmless under bash -c, but the fence must not end early
    return source.replace(/^#!.*\n/, '').trimEnd().replace(/^(`{3,}|~{3,})/gm, ' $1');
  }
}

function langSections(text: string, title: string | undefined): string[] {
  const t = title ? ` ${title}` : '';
  return [`:::en${t}`, text, ':::', '', `:::zh${t}`, ZH_NOTE, '', text, ':::'];
}

function phaseKeys(phase: Json, where: string, at: (kind: ImportNote['kind'], message: string) => void): void {
  for (const key of Object.keys(phase)) {
    if (!PHASE_KEYS.includes(key) && !['answer', 'hint', 'code', 'courseData', 'credits'].includes(key)) at('unsupported', `unknown field "${where}.${key}" is not imported`);
    if (key === 'credits') at('unsupported', `legacy field ${where}.credits is not imported`);
  }
  if (phase.verify !== undefined && !where.startsWith('details.steps')) at('unsupported', `${where}.verify is not run (only steps have checks)`);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function normalize(p: string): string {
  return p.replace(/^\.\//, '');
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}
