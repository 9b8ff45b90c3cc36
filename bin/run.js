#!/usr/bin/env node
// The boxlab CLI entry point: oclif finds the compiled commands under dist/src/cli/commands.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
