#!/usr/bin/env node
// The boxlab CLI entry point: oclif finds the bundled commands under dist/cli/commands (through
// oclif.manifest.json, written by `npm run build`; the bundle is ADR 0028's).
// `boxlab --version` is answered before oclif loads: it is what scripts call most, and loading the CLI
// framework costs more than Node itself (see docs/adr/0002).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`boxlab/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const { execute } = await import('../dist/cli/oclif-entry.js');
  await execute({ dir: import.meta.url });
}
