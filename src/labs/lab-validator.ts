// The lab validator (pure): every semantic problem of a parsed lab at once, each with file:line, so a
// teacher fixes a file in one pass: ids, both languages everywhere, a check per step, known names in
// `needs` and in dynamic hints, no cycles between checks, a solution per step (`lab test` replays it),
// a predict step's question in both languages with a check that reads the answer, and check messages
// in the student's language (say/fail, check-messages.ts), and every node= naming a node the lab declares.
import { closest } from '../core/closest.js';
import { bareMessages } from './check-messages.js';
import { labScripts, LAB_LEVELS, stepSolutions, type Hint, type Lab, type LabProblem, type SourcePos, type Step } from './lab-model.js';
import { parseLab } from './lab-parser.js';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const LANGS = ['en', 'zh'] as const;

export function validateLab(lab: Lab): LabProblem[] {
  const problems: LabProblem[] = [];
  const at = (line: number, message: string) => problems.push({ file: lab.file, line, message });

  if (!lab.id) at(1, 'front matter has no id; add e.g. id: 01-containers-are-processes');
  else if (!ID.test(lab.id)) at(1, `lab id "${lab.id}" must be lowercase letters, digits and dashes`);
  for (const lang of LANGS) if (!lab.title[lang]) at(1, `front matter title has no ${lang} text; write title: {en: "...", zh: "..."}`);
  if (lab.level !== undefined && !(LAB_LEVELS as readonly string[]).includes(lab.level)) {
    at(1, `level "${lab.level}" is not one of ${LAB_LEVELS.join(', ')}`);
  }
  const introLangs = LANGS.filter((l) => lab.intro[l]);
  if (introLangs.length === 1) at(1, `the intro has ${introLangs[0]} text but no ${introLangs[0] === 'en' ? 'zh' : 'en'} text`);
  if (lab.steps.length === 0) at(1, 'lab has no steps; add "## step <id>" sections');

  validateNodeRefs(lab, at);

  const seen = new Map<string, number>();
  for (const step of lab.steps) {
    const first = seen.get(step.id);
    if (first !== undefined) at(step.pos.line, `step id "${step.id}" is used twice (first at line ${first})`);
    else seen.set(step.id, step.pos.line);
    if (!ID.test(step.id)) at(step.pos.line, `step id "${step.id}" must be lowercase letters, digits and dashes`);
    validateStep(step, at);
    for (const check of step.checks) {
      for (const m of bareMessages(check.script)) {
        at(check.pos.line + 1 + m.line, `step "${step.id}": check "${check.name}" prints "${m.text}" in one language; write say "English" "中文" (or fail "English" "中文" to fail with it), so a student reads it in theirs`);
      }
    }
  }
  return problems;
}

/** every block's node= names a node of the lab's front matter, and only a multi-node lab has them */
function validateNodeRefs(lab: Lab, at: (line: number, message: string) => void): void {
  const blocks: { what: string; node?: string; pos: SourcePos }[] = [
    ...labScripts(lab, 'setup').map((s) => ({ ...s, what: 'setup' })),
    ...labScripts(lab, 'teardown').map((s) => ({ ...s, what: 'teardown' })),
  ];
  for (const step of lab.steps) {
    blocks.push(...step.snippets.map((s) => ({ ...s, what: `step "${step.id}": snippet` })));
    blocks.push(...step.checks.map((c) => ({ ...c, what: `step "${step.id}": check "${c.name}"` })));
    blocks.push(...stepSolutions(step).map((s) => ({ ...s, what: `step "${step.id}": solution` })));
  }
  const names = (lab.nodes ?? []).map((n) => n.name);
  for (const b of blocks) {
    if (b.node === undefined) continue;
    if (!lab.nodes) {
      at(b.pos.line, `${b.what} runs on node "${b.node}", but this is a single-node lab; declare the lab's nodes in the front matter (nodes: [{name: ${b.node || 'worker1'}, engine: docker}, ...] and network:) or remove node=`);
    } else if (!names.includes(b.node)) {
      const near = closest(b.node, names);
      at(b.pos.line, `${b.what} runs on unknown node "${b.node}"; ${near.length > 0 ? `did you mean "${near[0]}"? ` : ''}the lab's nodes: ${names.join(', ')}`);
    }
  }
}

function validateStep(step: Step, at: (line: number, message: string) => void): void {
  const line = step.pos.line;
  const name = `step "${step.id}"`;
  for (const lang of LANGS) {
    if (!step.title[lang]) at(line, `${name} has no ${lang} title; write :::${lang} <title> on the section's first line`);
    if (!step.text[lang]) at(line, `${name} has no ${lang} text; add a :::${lang} section`);
  }
  if (step.checks.length === 0) at(line, `${name} has no check; add a \`\`\`check <name> block (exit 0 = passed)`);
  if (!step.solution) at(line, `${name} has no solution; add a \`\`\`solution block so "boxlab lab test" can replay it`);

  if (step.kind === 'predict' && !step.answer) at(line, `${name} is a predict step but asks nothing; add an \`\`\`answer block with the question to each language section`);
  if (step.answer) {
    for (const lang of LANGS) {
      if (step.answer.question[lang] === undefined) at(step.answer.pos.line, `${name} asks for an answer but has no ${lang} question; add an \`\`\`answer block to its :::${lang} section`);
      else if (step.answer.question[lang] === '') at(step.answer.pos.line, `${name}: the ${lang} answer block is empty; write the question in it`);
    }
    const file = `answer-${step.id}`;
    if (!step.checks.some((c) => c.script.includes(file))) {
      at(step.answer.pos.line, `${name} asks for an answer but no check reads it; compare "$LAB_DIR/${file}" with what the system says`);
    }
  }

  const checks = new Map<string, number>();
  for (const check of step.checks) {
    if (checks.has(check.name)) at(check.pos.line, `${name}: check "${check.name}" is defined twice (first at line ${checks.get(check.name)})`);
    else checks.set(check.name, check.pos.line);
    if (check.script.trim() === '') at(check.pos.line, `${name}: check "${check.name}" has an empty script`);
  }
  for (const check of step.checks) {
    for (const need of check.needs) {
      if (!checks.has(need)) at(check.pos.line, `${name}: check "${check.name}" needs unknown check "${need}"; known: ${[...checks.keys()].join(', ') || 'none'}`);
    }
  }
  for (const cycle of findCycles(step)) at(checks.get(cycle[0]) ?? line, `${name}: checks need each other in a cycle: ${[...cycle, cycle[0]].join(' -> ')}`);

  // a hint's counterpart in the other language: the static ones, a check's hint without match, and a
  // check's n-th hint with match= (each language matches its own language's output: fail "EN" "中文")
  const hintGroups = new Map<string, Map<string, Hint>>();
  const matchIndex = new Map<string, number>();
  for (const hint of step.hints) {
    if (hint.check !== undefined && !checks.has(hint.check)) at(hint.pos.line, `${name}: hint refers to unknown check "${hint.check}"`);
    if (hint.match !== undefined && hint.check === undefined) at(hint.pos.line, `${name}: hint has match= but no check=; say which check's output to match`);
    if (hint.text === '') at(hint.pos.line, `${name}: empty hint`);
    let key = `${hint.check ?? ''}\u0000`;
    if (hint.match !== undefined) {
      const n = matchIndex.get(`${key}${hint.lang}`) ?? 0;
      matchIndex.set(`${key}${hint.lang}`, n + 1);
      key += `${n}`;
    }
    if (!hintGroups.has(key)) hintGroups.set(key, new Map());
    if (!hintGroups.get(key)!.has(hint.lang)) hintGroups.get(key)!.set(hint.lang, hint);
  }
  for (const group of hintGroups.values()) {
    const first = [...group.values()][0];
    for (const lang of LANGS) {
      if (!group.has(lang)) {
        const which = first.check ? `the hint for check "${first.check}"${first.match !== undefined ? ` matching "${first.match}"` : ''}` : 'the static hint';
        at(first.pos.line, `${name}: ${which} has no ${lang} version${first.match !== undefined ? ` (a check's hints with match= pair up in order, one per language)` : ''}`);
      }
    }
  }
}

/** each cycle once, as the list of check names along it */
function findCycles(step: Step): string[][] {
  const needs = new Map(step.checks.map((c) => [c.name, c.needs]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (n: string) => {
    if (state.get(n) === 'done' || !needs.has(n)) return;
    if (state.get(n) === 'visiting') {
      cycles.push(stack.slice(stack.indexOf(n)));
      return;
    }
    state.set(n, 'visiting');
    stack.push(n);
    for (const m of needs.get(n) ?? []) visit(m);
    stack.pop();
    state.set(n, 'done');
  };
  for (const c of step.checks) visit(c.name);
  return cycles;
}

/** parse + validate: all problems of one file, syntax first, in line order */
export function checkLabSource(text: string, file: string): { lab: Lab; problems: LabProblem[] } {
  const { lab, problems } = parseLab(text, file);
  const all = [...problems, ...validateLab(lab)];
  all.sort((a, b) => a.line - b.line);
  return { lab, problems: all };
}
