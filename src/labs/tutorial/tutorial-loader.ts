// Reading tutorial files: parse, and refuse a file with problems (listing all of them, file:line).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArgument, notFound } from '../../core/errors.js';
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
