// Bundles the CLI after tsc (ADR 0028): every command file under dist/src/cli/commands and oclif's
// `execute` (dist/src/cli/oclif-entry.js) become ES modules under dist/cli with their shared code split into
// chunks, so a command loads a handful of files instead of ~300 (a `boxlab lab check` spent about a third
// of its time resolving and loading modules). oclif finds the commands there (package.json oclif.commands,
// the manifest); tests keep importing dist/src. Packages with native parts stay outside the bundle (node
// loads them from node_modules), and so do the dev dependencies some code imports only when present.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const SRC = 'dist/src/cli';
const OUT = 'dist/cli';
/** packages node must load from node_modules: native addons (and ssh2's optional one) */
const NATIVE = ['better-sqlite3', 'node-pty', 'ssh2', 'cpu-features'];

function commandFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return commandFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync(OUT, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [path.join(SRC, 'oclif-entry.js'), ...commandFiles(path.join(SRC, 'commands'))],
  outdir: OUT,
  outbase: SRC,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: [...NATIVE, ...Object.keys(pkg.devDependencies ?? {})],
  // bundled CommonJS packages (oclif) call require(): give each chunk one bound to its own location
  banner: { js: "import { createRequire as __boxlabCreateRequire } from 'node:module'; const require = __boxlabCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`${OUT}: the CLI bundled (${readdirSync(OUT).filter((f) => f.endsWith('.js')).length} top-level files)`);
