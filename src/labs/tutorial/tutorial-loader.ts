// Reading tutorial files: parse, and refuse a file with problems (listing all of them, file:line).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument, notFound } from '../../core/errors.js';
import { SANDBOX_DOCKER_HOST } from '../lab-loader.js';
import { formatProblem } from '../lab-model.js';
import type { Tutorial } from './tutorial-model.js';
import { parseTutorial } from './tutorial-parser.js';

export async function loadTutorial(file: string): Promise<Tutorial> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw notFound(`tutorial "${file}" not found`, { suggestions: ['tutorials live in tutorials/*.md'] });
  }
  const { tutorial, problems } = parseTutorial(text, path.relative(process.cwd(), file) || file);
  if (problems.length > 0) {
    throw invalidArgument(`tutorial "${file}" has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`, {
      suggestions: ['fix them; docs/lab-format.md ("Tutorials") describes the format'],
    });
  }
  return tutorial;
}

/** the default work folder of a tutorial in the sandbox */
export function defaultTutorialWorkDir(id: string): string {
  return `/tmp/boxlab-tutorial/${id}`;
}

/** like labEnv: a tutorial that needs the engine reaches boxlabd (sandbox socket, or BOXLAB_DOCKER_HOST) */
export function tutorialEnv(tutorial: Tutorial, host: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return tutorial.needs.engine ? { DOCKER_HOST: host.BOXLAB_DOCKER_HOST || SANDBOX_DOCKER_HOST } : {};
}
