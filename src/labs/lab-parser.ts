// The lab parser (pure): one markdown file -> a Lab plus every syntax problem found, with file:line.
// Syntax (ADR 0003, docs/lab-format.md): YAML front matter; `:::en Title` / `:::zh 标题` ... `:::`
// language sections; `## step <id>` starts a step; fenced blocks whose info string starts with
// check / hint / solution / setup / teardown are structure, any other fence is text (```sh run is a
// runnable snippet). Semantic rules (needs, cycles, missing languages) live in lab-validator.ts.
// A multi-node lab (ADR 0016) declares `nodes:` and `network:`; its blocks say `node=<name>`, and it
// may have a setup and a teardown per node and several solution blocks per step.
import yaml from 'js-yaml';
import { VM_NAME_PATTERN } from '../vm/vm-record.js';
import { LAB_NETWORK_NAME, parseMemory } from '../vm/vm-cli-options.js';
import { parseDuration } from './duration.js';
import { parseInfoString } from './info-string.js';
import { DEFAULT_NODE_MEMORY_MIB, NODE_ENGINES, nodeOf, STEP_KINDS, type Bilingual, type LabNode, type NodeEngine, type Check, type Hint, type Lab, type LabProblem, type Script, type Snippet, type Step, type StepKind } from './lab-model.js';
import type { Lang } from '../core/lang.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;
const STRUCTURAL = ['check', 'hint', 'solution', 'setup', 'teardown'] as const;
const LANG_OPEN = /^:::\s*(en|zh)\b\s*(.*)$/;
const STEP_HEADING = /^##\s+step\s+(\S+)\s*$/i;
const COVERS = /^covers:\s*(.*)$/;
const SNIPPET_MARKS = ['expect-fail', 'interactive', 'after-solution'];
const KIND = /^kind:\s*(.*?)\s*$/;
/** a proposed step of ../shared/curriculum: L06.03 (seed 002) or 004-5.2 (the other seeds) */
export const CURRICULUM_ID = /^(L\d\d\.\d\d|\d{3}-\d+(?:\.\d+[a-z]?)+)$/;
const FENCE_OPEN = /^(\s{0,3})(`{3,}|~{3,})\s*(.*)$/;

export interface ParsedLab {
  lab: Lab;
  problems: LabProblem[];
}

interface Section {
  lang: Lang;
  lines: string[];
  line: number;
}

export function parseLab(text: string, file: string): ParsedLab {
  const problems: LabProblem[] = [];
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const lab: Lab = { file, id: '', title: {}, description: {}, tags: [], needs: {}, requires: [], intro: {}, steps: [] };

  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && l.trim() === '---');
    if (end < 0) {
      problem(1, 'front matter starts with --- but never ends; add a closing --- line');
      i = lines.length;
    } else {
      const fmLines = lines.slice(1, end);
      // a problem about a key points at that key's line; a node's at its entry of the nodes: list
      const lineOfKey = (key?: string) => {
        const n = key === undefined ? -1 : fmLines.findIndex((l) => l.startsWith(`${key}:`));
        return n < 0 ? 1 : n + 2;
      };
      const nodeLine = (index: number) => {
        const start = fmLines.findIndex((l) => l.startsWith('nodes:'));
        const entries = fmLines.map((l, k) => (k > start && /^\s*-/.test(l) ? k : -1)).filter((k) => k >= 0);
        const end = fmLines.findIndex((l, k) => k > start && /^\S/.test(l));
        const k = entries.filter((e) => end < 0 || e < end)[index];
        return k === undefined ? lineOfKey('nodes') : k + 2;
      };
      readFrontMatter(fmLines.join('\n'), lab, (m, key, line) => problem(line ?? lineOfKey(key), m), nodeLine);
      i = end + 1;
    }
  } else {
    problem(1, 'expected YAML front matter (--- id: ..., title: {en, zh} ---) at the top, found none');
  }

  let step: Step | undefined;
  let section: Section | undefined;
  const setups: Script[] = [];
  const teardowns: Script[] = [];
  const solutions = new Map<Step, Script[]>();
  const target = (): { text: Bilingual; title: Bilingual } => step ?? { text: lab.intro, title: {} };

  for (; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const marker = fence[2];
      const info = parseInfoString(fence[3]);
      const close = new RegExp(`^\\s{0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j])) j++;
      if (j >= lines.length) problem(lineNo, `code block opened here is never closed; add a closing ${marker}`);
      const body = lines.slice(i + 1, j).join('\n');
      const pos = { file, line: lineNo };
      if ((STRUCTURAL as readonly string[]).includes(info.kind)) {
        structuralBlock(info.kind, info, body, pos);
        i = j;
        continue;
      }
      if (section) {
        section.lines.push(...lines.slice(i, Math.min(j + 1, lines.length)));
        if (info.kind === 'answer') answerBlock(section.lang, body, pos);
        if (info.words.includes('run') || 'run' in info.attrs) {
          if (step) step.snippets.push(snippet(section.lang, body, pos, info.words, info.attrs.node));
        }
      } else {
        problem(lineNo, 'code block outside a :::en or :::zh section is not shown to students; move it into one');
      }
      i = j;
      continue;
    }

    const langOpen = LANG_OPEN.exec(line);
    if (langOpen) {
      if (section) {
        problem(lineNo, `:::${langOpen[1]} opened inside the :::${section.lang} section from line ${section.line}; close that one with ::: first`);
        closeSection(section);
      }
      section = { lang: langOpen[1] as Lang, lines: [], line: lineNo };
      const title = langOpen[2].trim();
      if (title) {
        const t = target().title;
        if (!step) lab.title[section.lang] ??= title;
        else if (t[section.lang] !== undefined) problem(lineNo, `step "${step.id}" already has an ${section.lang} title`);
        else t[section.lang] = title;
      }
      continue;
    }
    if (/^:::\s*$/.test(line)) {
      if (!section) problem(lineNo, 'closing ::: without an open :::en or :::zh section');
      else closeSection(section);
      section = undefined;
      continue;
    }
    if (/^:::/.test(line)) {
      problem(lineNo, `unknown section "${line.trim()}"; expected :::en, :::zh or :::`);
      continue;
    }
    if (section) {
      section.lines.push(line);
      continue;
    }
    const heading = STEP_HEADING.exec(line);
    if (heading) {
      step = { id: heading[1], title: {}, text: {}, snippets: [], checks: [], hints: [], covers: [], pos: { file, line: lineNo } };
      lab.steps.push(step);
      continue;
    }
    const covers = COVERS.exec(line);
    if (covers) {
      if (!step) problem(lineNo, 'covers: belongs to a step; put it after "## step <id>"');
      for (const id of covers[1].split(/[\s,]+/).filter(Boolean)) {
        if (!CURRICULUM_ID.test(id)) problem(lineNo, `covers: "${id}" is not a curriculum step id; write ids like L06.03 or 004-5.2`);
        else step?.covers.push(id);
      }
      continue;
    }
    const kind = KIND.exec(line);
    if (kind) {
      if (!step) problem(lineNo, 'kind: belongs to a step; put it after "## step <id>"');
      else if (!(STEP_KINDS as readonly string[]).includes(kind[1])) problem(lineNo, `kind: "${kind[1]}" is not a step kind; write one of ${STEP_KINDS.join(', ')} (or nothing: a guided step, whose snippets do it)`);
      else if (step.kind) problem(lineNo, `step "${step.id}" already has a kind`);
      else step.kind = kind[1] as StepKind;
      continue;
    }
    if (/^##\s/.test(line)) {
      problem(lineNo, `heading "${line.trim()}" is not a step; write "## step <id>" or put it inside a :::en/:::zh section`);
      continue;
    }
    if (line.trim() !== '' && !/^<!--.*-->\s*$/.test(line) && !/^#\s/.test(line)) {
      problem(lineNo, 'text outside a :::en or :::zh section is not shown to students; move it into one');
    }
  }
  if (section) {
    problem(section.line, `:::${section.lang} section is never closed; add a ::: line`);
    closeSection(section);
  }
  // the lists of a multi-node lab's blocks, kept only when there is more than one (a single-node lab's JSON is as before)
  if (setups.length > 1) lab.setups = setups;
  if (teardowns.length > 1) lab.teardowns = teardowns;
  for (const st of lab.steps) if ((solutions.get(st) ?? []).length > 1) st.solutions = solutions.get(st);
  return { lab, problems };

  function snippet(lang: Lang, code: string, pos: { file: string; line: number }, words: string[], node: string | undefined): Snippet {
    const out: Snippet = { lang, code, pos };
    if (node !== undefined) out.node = node;
    const marks = words.filter((w) => w !== 'run');
    if (marks.includes('expect-fail')) out.expect = 'fail';
    if (marks.includes('interactive')) out.expect = 'skip';
    if (marks.includes('after-solution')) out.after = true;
    if (marks.includes('expect-fail') && marks.includes('interactive')) problem(pos.line, 'a snippet is either expect-fail (lab test runs it and wants an error) or interactive (lab test skips it), not both');
    for (const w of marks.filter((m) => !SNIPPET_MARKS.includes(m))) {
      problem(pos.line, `unknown snippet mark "${w}"; a runnable snippet is \`\`\`sh run, with expect-fail (it shows an error on purpose), interactive (it needs a terminal; lab test skips it) or after-solution (it shows the student's result; lab test runs it after the solution)`);
    }
    return out;
  }

  /** ```answer in a language section: the question of a predict step (the block stays in the text: the page shows an input box there) */
  function answerBlock(lang: Lang, question: string, pos: { file: string; line: number }): void {
    if (!step) {
      problem(pos.line, 'answer block before the first "## step <id>"; a question belongs to a step');
      return;
    }
    step.answer ??= { question: {}, pos };
    if (step.answer.question[lang] !== undefined) problem(pos.line, `step "${step.id}" has a second ${lang} answer block; a step asks one question`);
    else step.answer.question[lang] = question.trim();
  }

  function closeSection(s: Section): void {
    const text = s.lines.join('\n').trim();
    const into = target().text;
    into[s.lang] = into[s.lang] ? `${into[s.lang]}\n\n${text}` : text;
  }

  function structuralBlock(kind: string, info: ReturnType<typeof parseInfoString>, body: string, pos: { file: string; line: number }): void {
    const script: Script = { script: body, pos };
    if (info.attrs.node !== undefined) {
      if (kind === 'hint') problem(pos.line, 'node= on a hint: a hint is text the student reads, it runs on no node; remove node=');
      else script.node = info.attrs.node;
    }
    if (kind === 'setup' || kind === 'teardown') {
      if (step || section) problem(pos.line, `${kind} belongs to the whole lab: put it before the first "## step", outside language sections`);
      const all = kind === 'setup' ? setups : teardowns;
      // a multi-node lab has one per node; a single-node lab one in all
      const first = lab.nodes ? all.find((s) => nodeOf(lab, s) === nodeOf(lab, script)) : all[0];
      if (first) {
        const where = lab.nodes ? ` for node "${nodeOf(lab, script)}"` : '';
        problem(pos.line, `second ${kind} block${where}; a lab has one${lab.nodes ? ' per node' : ''} (first at line ${first.pos.line})`);
      } else {
        all.push(script);
        lab[kind] ??= script;
      }
      return;
    }
    if (!step) {
      problem(pos.line, `${kind} block before the first "## step <id>"; it must belong to a step`);
      return;
    }
    if (kind === 'hint') {
      const lang = (info.attrs.lang ?? section?.lang) as Lang | undefined;
      if (lang !== 'en' && lang !== 'zh') {
        problem(pos.line, `hint without a language: put it inside a :::en/:::zh section or write \`hint lang=en\``);
        return;
      }
      const hint: Hint = { lang, text: body.trim(), pos };
      if (info.attrs.check) hint.check = info.attrs.check;
      if (info.attrs.match !== undefined) hint.match = info.attrs.match;
      step.hints.push(hint);
      return;
    }
    if (section) problem(pos.line, `${kind} block inside the :::${section.lang} section; checks and solutions are language-independent, move it after :::`);
    if (kind === 'solution') {
      // a multi-node lab's step may need several, on several nodes, run in order
      if (step.solution && !lab.nodes) problem(pos.line, `step "${step.id}" has a second solution block (first at line ${step.solution.pos.line})`);
      else {
        step.solution ??= script;
        solutions.set(step, [...(solutions.get(step) ?? []), script]);
      }
      return;
    }
    const name = info.words[0] ?? info.attrs.name;
    if (!name) {
      problem(pos.line, 'check without a name; write ```check <name> [timeout=10s] [needs=a,b]');
      return;
    }
    let timeoutMs = DEFAULT_CHECK_TIMEOUT_MS;
    if (info.attrs.timeout !== undefined) {
      const parsed = parseDuration(info.attrs.timeout);
      if (parsed === undefined || parsed <= 0) problem(pos.line, `check "${name}": timeout "${info.attrs.timeout}" is not a duration; expected e.g. 500ms, 10s, 2m`);
      else timeoutMs = parsed;
    }
    const needs = (info.attrs.needs ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const check: Check = { name, script: body, timeoutMs, needs, pos };
    if (script.node !== undefined) check.node = script.node;
    step.checks.push(check);
  }
}

function readFrontMatter(source: string, lab: Lab, problem: (m: string, key?: string, line?: number) => void, nodeLine: (index: number) => number): void {
  let data: unknown;
  try {
    data = yaml.load(source);
  } catch (err) {
    problem(`front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problem('front matter must be a YAML mapping (id: ..., title: ...)');
    return;
  }
  const fm = data as Record<string, unknown>;
  const known = ['id', 'title', 'description', 'duration', 'level', 'tags', 'needs', 'track', 'order', 'requires', 'nodes', 'network'];
  for (const key of Object.keys(fm)) if (!known.includes(key)) problem(`unknown front matter key "${key}"; known keys: ${known.join(', ')}`, key);
  if (typeof fm.id === 'string') lab.id = fm.id;
  lab.title = bilingual(fm.title, 'title', (m) => problem(m, 'title'));
  lab.description = bilingual(fm.description, 'description', (m) => problem(m, 'description'));
  if (fm.duration !== undefined) {
    const ms = parseDuration(String(fm.duration));
    if (ms === undefined) problem(`duration "${String(fm.duration)}" is not a duration; expected e.g. 30m`, 'duration');
    else lab.durationMs = ms;
  }
  if (fm.level !== undefined) lab.level = String(fm.level);
  if (fm.tags !== undefined) {
    if (Array.isArray(fm.tags)) lab.tags = fm.tags.map(String);
    else problem('tags must be a list, e.g. [namespaces, proc]', 'tags');
  }
  if (fm.track !== undefined) {
    if (typeof fm.track === 'string' && fm.track) lab.track = fm.track;
    else problem('track must be a track id of labs/tracks.yaml, e.g. track: foundations', 'track');
  }
  if (fm.order !== undefined) {
    if (typeof fm.order === 'number' && Number.isInteger(fm.order) && fm.order > 0) lab.order = fm.order;
    else problem(`order must be a whole number from 1 (the lab's place in its track), not "${String(fm.order)}"`, 'order');
  }
  if (fm.requires !== undefined) {
    if (Array.isArray(fm.requires)) lab.requires = fm.requires.map(String);
    else problem('requires must be a list of lab ids, e.g. requires: [01-containers-are-processes]', 'requires');
  }
  if (fm.needs !== undefined) {
    if (fm.needs && typeof fm.needs === 'object' && !Array.isArray(fm.needs)) {
      const n = fm.needs as Record<string, unknown>;
      for (const key of Object.keys(n)) if (!['engine', 'images', 'commands'].includes(key)) problem(`unknown needs key "${key}"; known: engine, images, commands`, 'needs');
      if (n.engine !== undefined) lab.needs.engine = n.engine === true;
      if (Array.isArray(n.images)) lab.needs.images = n.images.map(String);
      if (Array.isArray(n.commands)) lab.needs.commands = n.commands.map(String);
    } else problem('needs must be a mapping, e.g. {engine: true, images: [busybox]}', 'needs');
  }
  if (fm.nodes !== undefined) readNodes(fm.nodes, lab, problem, nodeLine);
  if (fm.network !== undefined) {
    if (typeof fm.network === 'string' && LAB_NETWORK_NAME.test(fm.network)) lab.network = fm.network;
    else problem(`network "${String(fm.network)}" is not a lab network name: lowercase letters, digits and dashes, starting with a letter, at most 31 (e.g. network: l20-swarm)`, 'network');
    if (fm.nodes === undefined) problem('network: without nodes: a lab network joins the nodes of a multi-node lab; declare them (nodes: [{name: manager1, engine: docker}, ...]) or remove network:', 'network');
  } else if (lab.nodes) {
    problem('a multi-node lab names its lab network, the one its nodes share: add e.g. network: l20-swarm', 'nodes');
  }
}

/** nodes: [{name: manager1, engine: docker, memory: 1536M}, ...] -> lab.nodes, each problem at its node's line */
function readNodes(value: unknown, lab: Lab, problem: (m: string, key?: string, line?: number) => void, nodeLine: (index: number) => number): void {
  const example = 'nodes: [{name: manager1, engine: docker, memory: 1536M}, {name: worker1, engine: docker}]';
  if (!Array.isArray(value) || value.length === 0) {
    problem(`nodes must be a list of the lab's VMs, e.g. ${example}`, 'nodes');
    return;
  }
  const nodes: LabNode[] = [];
  for (const [i, entry] of value.entries()) {
    const raw = (entry && typeof entry === 'object' && !Array.isArray(entry) ? entry : {}) as Record<string, unknown>;
    const name = typeof raw.name === 'string' ? raw.name : undefined;
    const at = (m: string) => problem(m, 'nodes', nodeLine(i));
    if (!name) {
      at(`node ${i + 1} has no name; each node is a mapping like {name: worker1, engine: docker, memory: 1536M}`);
      continue;
    }
    for (const key of Object.keys(raw)) if (!['name', 'engine', 'memory'].includes(key)) at(`node "${name}": unknown key "${key}"; known: name, engine, memory`);
    if (!VM_NAME_PATTERN.test(name)) at(`node name "${name}" is not a host name: lowercase letters, digits and dashes, starting with a letter, at most 31`);
    if (nodes.some((n) => n.name === name)) {
      at(`node "${name}" is declared twice (first at line ${nodes.find((n) => n.name === name)!.line})`);
      continue;
    }
    let engine: NodeEngine = 'boxlabd';
    if (raw.engine !== undefined) {
      if ((NODE_ENGINES as readonly unknown[]).includes(raw.engine)) engine = raw.engine as NodeEngine;
      else at(`node "${name}": engine "${String(raw.engine)}" is not one of ${NODE_ENGINES.join(', ')} (docker: Debian's dockerd next to boxlabd, for Swarm)`);
    }
    let memoryMiB = DEFAULT_NODE_MEMORY_MIB[engine];
    if (raw.memory !== undefined) {
      let mib: number | undefined;
      try {
        mib = parseMemory(String(raw.memory));
      } catch {
        mib = undefined;
      }
      if (mib === undefined || mib < 512) at(`node "${name}": memory "${String(raw.memory)}" is not a size of at least 512M; write e.g. 1536M or 2G`);
      else memoryMiB = mib;
    }
    nodes.push({ name, engine, memoryMiB, line: nodeLine(i) });
  }
  if (nodes.length > 0) lab.nodes = nodes;
}

function bilingual(value: unknown, key: string, problem: (m: string) => void): Bilingual {
  if (value === undefined) return {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const out: Bilingual = {};
    for (const [k, text] of Object.entries(v)) {
      if (k === 'en' || k === 'zh') out[k] = String(text);
      else problem(`${key} has an unknown language "${k}"; use en and zh`);
    }
    return out;
  }
  problem(`${key} must have both languages, e.g. ${key}: {en: "...", zh: "..."}`);
  return {};
}
