import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/outputs/multipass/<file> in the checkout (tests run from dist/) */
export function multipassFixture(file: string): string {
  const here = fileURLToPath(import.meta.url);
  const repo = here.slice(0, here.lastIndexOf(`${path.sep}dist${path.sep}`));
  return path.join(repo, 'test', 'fixtures', 'outputs', 'multipass', file);
}
