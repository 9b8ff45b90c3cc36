// Flags shared by several commands.
import { Flags } from '@oclif/core';
import { DEFAULT_ENGINE_SOCKET } from '../core/paths.js';

export const socketFlag = () =>
  Flags.string({
    description: "the engine's unix socket",
    env: 'BOXLAB_SOCKET',
    default: DEFAULT_ENGINE_SOCKET,
  });

/**
 * --socket of the commands that ask boxlab's own endpoints (explain, explain-build): without it (and
 * without BOXLAB_SOCKET) they ask the sandbox's engine, a VM's over SSH (sandbox-engine.ts)
 */
export const sandboxSocketFlag = () =>
  Flags.string({
    description: `the engine's unix socket (default: the sandbox's engine: the vm's over SSH, else ${DEFAULT_ENGINE_SOCKET})`,
    env: 'BOXLAB_SOCKET',
  });
