// Where the checkout is, as seen from a compiled test (dist/test/...): the CLI entry the tests run as a
// user would, and the root for fixtures.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

export const REPO_ROOT = here.slice(0, here.lastIndexOf(`${path.sep}dist${path.sep}`));
/** bin/run.js: the `boxlab` command */
export const BOXLAB_BIN = path.join(REPO_ROOT, 'bin', 'run.js');
