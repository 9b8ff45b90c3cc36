// What bin/run.js imports to run a command: oclif's `execute`, re-exported so that the CLI's bundle
// (scripts/bundle-cli.mjs, ADR 0028) holds the framework in a chunk the command bundles share, instead of
// Node resolving and loading oclif's ~190 files (and semver's) on every `boxlab` command.
export { execute } from '@oclif/core';
