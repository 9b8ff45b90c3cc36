// The boxlab checkout or install this code runs from: the nearest folder above this file that holds
// boxlab's package.json. Found by walking up instead of counting `..`, because the same code runs from
// several places: dist/src/... (tsc's output, what tests import), dist/cli/... (the CLI's bundle, ADR 0028)
// and /opt/boxlab in a sandbox image.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** the nearest folder at or above `from` whose package.json is named "boxlab"; undefined when none is */
export function findPackageRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (isBoxlabPackage(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isBoxlabPackage(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'boxlab';
  } catch {
    return false;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** the root of the boxlab checkout or install (its bin/, labs/, tutorials/, vm-images/, dist/) */
export const PACKAGE_ROOT = findPackageRoot(here) ?? path.resolve(here, '../../..');
