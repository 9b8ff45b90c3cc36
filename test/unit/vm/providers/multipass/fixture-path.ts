import path from 'node:path';
import { REPO_ROOT } from '../../../../helpers/repo-paths.js';

/** test/fixtures/outputs/multipass/<file> in the checkout (tests run from dist/) */
export function multipassFixture(file: string): string {
  return path.join(REPO_ROOT, 'test', 'fixtures', 'outputs', 'multipass', file);
}
