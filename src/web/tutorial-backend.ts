// The tutorials as the web page sees them: the tutorial runner of labs/tutorial/ adapted to the server's
// TutorialBackend port (server/web-backend.ts). A tutorial is a folder of markdown pages (<id>.md, and
// <id>.zh.md for Chinese); each step runs alone through the Guest, in the tutorial's work folder, and
// its output is judged by the same output matcher `boxlab tutorial test` uses, so the page and the CI
// agree on what "the output matches" means.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument, notFound } from '../core/errors.js';
import type { Lang } from '../core/lang.js';
import type { Guest } from '../vm/guest.js';
import { defaultTutorialWorkDir, loadTutorial, tutorialEnv } from '../labs/tutorial/tutorial-loader.js';
import type { Tutorial, TutorialStep } from '../labs/tutorial/tutorial-model.js';
import { runStep } from '../labs/tutorial/tutorial-runner.js';
import { renderStepMarkdown } from './server/step-markdown.js';
import type { TutorialBackend, TutorialItem, TutorialPage, TutorialRunResult } from './server/web-backend.js';

export interface FolderTutorialBackendOptions {
  guest: Guest;
  /** the folder with the tutorial pages (the repository's tutorials/) */
  root: string;
  /** the tutorial's folder in the sandbox; default /tmp/boxlab-tutorial/<id> */
  workDir?: (id: string) => string;
  /** extra environment, e.g. DOCKER_HOST pointing at the engine this server talks to (wins over the tutorial's) */
  env?: Record<string, string>;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** pure: which tutorial and language a file name holds: "build-x.zh.md" -> build-x, zh */
export function tutorialFileName(file: string): { id: string; lang: Lang } | undefined {
  const m = /^(.+?)(?:\.(zh|en))?\.md$/.exec(file);
  if (!m || !ID.test(m[1]) || /^readme$/i.test(m[1])) return undefined;
  return { id: m[1], lang: (m[2] as Lang | undefined) ?? 'en' };
}

/**
 * pure: the page's text without its ```output blocks (the parser leaves them in the prose that follows a
 * step, and the outro); the page shows each step's expected output beside its actual output instead
 */
export function withoutOutputBlocks(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
      continue;
    }
    const open = /^\s{0,3}(`{3,}|~{3,})\s*output\b/.exec(line);
    if (open) fence = open[1];
    else out.push(line);
  }
  return out.join('\n');
}

export class FolderTutorialBackend implements TutorialBackend {
  /** tutorials whose folder may exist in the sandbox: reset on close() */
  private readonly touched = new Map<string, Tutorial>();

  constructor(private readonly options: FolderTutorialBackendOptions) {}

  async catalog(lang: Lang): Promise<TutorialItem[]> {
    const ids = [...new Set((await this.files()).map((f) => f.id))].sort();
    const items: TutorialItem[] = [];
    for (const id of ids) {
      // a page with problems is left out of the catalog; `boxlab tutorial test` names them
      const t = await this.tutorial(id, lang).catch(() => undefined);
      if (t) items.push({ id, title: t.title, lang: t.lang, steps: t.steps.length, features: t.needs.features ?? [] });
    }
    return items;
  }

  async open(id: string, lang: Lang): Promise<TutorialPage> {
    const t = await this.tutorial(id, lang);
    return {
      id,
      title: t.title,
      lang: t.lang,
      steps: t.steps.map((s) => {
        const view = { number: s.number, html: renderStepMarkdown(withoutOutputBlocks(s.prose)), script: s.script, exit: s.exit, skip: s.skip, cleanup: s.cleanup };
        return s.expected === undefined ? view : { ...view, expected: s.expected };
      }),
      outroHtml: renderStepMarkdown(withoutOutputBlocks(t.outro)),
      workDir: this.workDir(id),
    };
  }

  async run(id: string, number: number, lang: Lang): Promise<TutorialRunResult> {
    const t = await this.tutorial(id, lang);
    const step = t.steps.find((s) => s.number === number);
    if (!step) throw invalidArgument(`step ${number} does not exist in tutorial "${id}"`, { suggestions: [`choose a step from 1 to ${t.steps.length}`] });
    const expected = step.expected === undefined ? {} : { expected: step.expected };
    if (step.skip) return { number, status: 'skipped', problems: [], durationMs: 0, ...expected };
    const env = await this.prepare(t);
    const r = await runStep(this.options.guest, step, env, t.lang);
    const result: TutorialRunResult = { number, status: r.status, problems: r.problems, durationMs: r.durationMs, ...expected };
    if (r.exitCode !== undefined) result.exitCode = r.exitCode;
    if (r.output !== undefined) result.output = r.output;
    return result;
  }

  async reset(id: string, lang: Lang): Promise<void> {
    await this.cleanUp(await this.tutorial(id, lang));
  }

  async terminalEnv(id: string): Promise<{ env: Record<string, string>; cwd: string }> {
    const t = await this.tutorial(id, 'en');
    // the shell starts in the folder the Run button uses, so typed and run steps see the same files
    return { env: await this.prepare(t), cwd: this.workDir(id) };
  }

  async close(): Promise<void> {
    for (const t of [...this.touched.values()]) await this.cleanUp(t).catch(() => undefined);
  }

  private async prepare(t: Tutorial): Promise<Record<string, string>> {
    const env = this.env(t);
    this.touched.set(t.id, t);
    const r = await this.options.guest.exec(['mkdir', '-p', env.TUTORIAL_DIR], { env });
    if (r.exitCode !== 0) throw invalidArgument(`cannot make the tutorial folder ${env.TUTORIAL_DIR} in ${this.options.guest.name}: ${r.stderr.trim()}`, { suggestions: ['check the sandbox is running: boxlab vm ls'] });
    return env;
  }

  private async cleanUp(t: Tutorial): Promise<void> {
    if (!this.touched.has(t.id)) return;
    const env = this.env(t);
    for (const step of t.steps.filter((s: TutorialStep) => s.cleanup)) await runStep(this.options.guest, step, env, t.lang).catch(() => undefined);
    await this.options.guest.exec(['rm', '-rf', env.TUTORIAL_DIR], { env });
    this.touched.delete(t.id);
  }

  private env(t: Tutorial): Record<string, string> {
    return { ...tutorialEnv(t), ...this.options.env, TUTORIAL_DIR: this.workDir(t.id) };
  }

  private workDir(id: string): string {
    return (this.options.workDir ?? defaultTutorialWorkDir)(id);
  }

  private async files(): Promise<Array<{ id: string; lang: Lang; file: string }>> {
    const names = await fs.readdir(this.options.root).catch(() => [] as string[]);
    return names.flatMap((n) => {
      const f = tutorialFileName(n);
      return f ? [{ ...f, file: path.join(this.options.root, n) }] : [];
    });
  }

  /** the page in the asked language, else English, else whatever there is */
  private async tutorial(id: string, lang: Lang): Promise<Tutorial> {
    if (!ID.test(id)) throw invalidArgument(`"${id}" is not a tutorial id`, { suggestions: ['pick a tutorial from the catalog'] });
    const versions = (await this.files()).filter((f) => f.id === id);
    const file = versions.find((f) => f.lang === lang) ?? versions.find((f) => f.lang === 'en') ?? versions[0];
    if (!file) throw notFound(`tutorial "${id}" not found in ${this.options.root}`, { suggestions: ['pick a tutorial from the catalog'] });
    return loadTutorial(file.file);
  }
}
