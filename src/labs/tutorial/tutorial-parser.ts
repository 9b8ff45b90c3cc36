// The tutorial parser (pure): markdown -> Tutorial plus every problem found, with file:line.
// Front matter: id, title, lang (en|zh), needs {engine, images, features}. A fence whose info string
// starts with sh, bash or shell is a step (attributes: exit=N, timeout=30s, skip, cleanup); an
// ```output fence right after it (blank lines allowed between) is that step's expected output.
import yaml from 'js-yaml';
import { parseDuration } from '../duration.js';
import { parseInfoString } from '../info-string.js';
import type { LabProblem } from '../lab-model.js';
import type { Tutorial, TutorialStep } from './tutorial-model.js';

export const DEFAULT_STEP_TIMEOUT_MS = 60_000;
const SHELLS = ['sh', 'bash', 'shell'];
const FENCE_OPEN = /^(\s{0,3})(`{3,}|~{3,})\s*(.*)$/;

export interface ParsedTutorial {
  tutorial: Tutorial;
  problems: LabProblem[];
}

export function parseTutorial(text: string, file: string): ParsedTutorial {
  const problems: LabProblem[] = [];
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const tutorial: Tutorial = { file, id: '', title: '', lang: 'en', needs: {}, steps: [], outro: '' };

  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && l.trim() === '---');
    if (end < 0) problem(1, 'front matter starts with --- but never ends; add a closing --- line');
    else readFrontMatter(lines.slice(1, end).join('\n'), tutorial, (m) => problem(1, m));
    i = end < 0 ? lines.length : end + 1;
  } else problem(1, 'expected YAML front matter (--- id, title, lang ---) at the top, found none');

  let prose: string[] = [];
  let last: TutorialStep | undefined;
  /** the last step may still take an output block: only blank lines since it ended */
  let open = false;
  for (; i < lines.length; i++) {
    const fence = FENCE_OPEN.exec(lines[i]);
    if (!fence) {
      if (lines[i].trim() !== '') open = false;
      prose.push(lines[i]);
      continue;
    }
    const marker = fence[2];
    const close = new RegExp(`^\\s{0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j])) j++;
    if (j >= lines.length) problem(i + 1, `code block opened here is never closed; add a closing ${marker}`);
    const body = lines.slice(i + 1, j).join('\n');
    const info = parseInfoString(fence[3]);
    if (info.kind === 'output') {
      if (!last || !open) problem(i + 1, 'output block does not follow a shell block; put it right after the command it shows');
      else if (last.expected !== undefined) problem(i + 1, `step ${last.number} already has an output block`);
      else last.expected = body;
      prose.push(...lines.slice(i, j + 1));
      open = false;
    } else if (SHELLS.includes(info.kind)) {
      const step: TutorialStep = {
        number: tutorial.steps.length + 1,
        prose: prose.join('\n').trim(),
        script: body,
        exit: 0,
        timeoutMs: DEFAULT_STEP_TIMEOUT_MS,
        skip: info.words.includes('skip'),
        cleanup: info.words.includes('cleanup'),
        line: i + 1,
      };
      if (info.attrs.exit !== undefined) {
        const n = Number(info.attrs.exit);
        if (!Number.isInteger(n) || n < 0 || n > 255) problem(i + 1, `exit=${info.attrs.exit} is not an exit code; expected 0-255`);
        else step.exit = n;
      }
      if (info.attrs.timeout !== undefined) {
        const ms = parseDuration(info.attrs.timeout);
        if (ms === undefined || ms <= 0) problem(i + 1, `timeout "${info.attrs.timeout}" is not a duration; expected e.g. 10s, 2m`);
        else step.timeoutMs = ms;
      }
      if (body.trim() === '') problem(i + 1, 'empty shell block; write the command or remove the block');
      tutorial.steps.push(step);
      last = step;
      prose = [];
      open = true;
    } else {
      prose.push(...lines.slice(i, j + 1));
      open = false;
    }
    i = j;
  }
  tutorial.outro = prose.join('\n').trim();
  if (tutorial.steps.length === 0) problem(1, 'tutorial has no ```sh blocks: nothing to run');
  return { tutorial, problems };
}

function readFrontMatter(source: string, t: Tutorial, problem: (m: string) => void): void {
  let data: unknown;
  try {
    data = yaml.load(source);
  } catch (err) {
    problem(`front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return problem('front matter must be a YAML mapping (id: ..., title: ...)');
  const fm = data as Record<string, unknown>;
  for (const key of Object.keys(fm)) if (!['id', 'title', 'lang', 'needs'].includes(key)) problem(`unknown front matter key "${key}"; known keys: id, title, lang, needs`);
  if (typeof fm.id === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(fm.id)) t.id = fm.id;
  else problem('front matter needs an id of lowercase letters, digits and dashes');
  if (typeof fm.title === 'string' && fm.title.trim()) t.title = fm.title;
  else problem('front matter needs a title');
  if (fm.lang === 'zh' || fm.lang === 'en') t.lang = fm.lang;
  else if (fm.lang !== undefined) problem(`lang "${String(fm.lang)}" is not en or zh`);
  if (fm.needs !== undefined) {
    const n = fm.needs as Record<string, unknown>;
    if (!n || typeof n !== 'object' || Array.isArray(n)) return problem('needs must be a mapping, e.g. {engine: true, features: [build]}');
    if (n.engine !== undefined) t.needs.engine = n.engine === true;
    if (Array.isArray(n.images)) t.needs.images = n.images.map(String);
    if (Array.isArray(n.features)) t.needs.features = n.features.map(String);
  }
}
