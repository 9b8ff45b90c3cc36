// Flags shared by several commands.
import { Flags } from '@oclif/core';
import { DEFAULT_ENGINE_SOCKET } from '../core/paths.js';

export const socketFlag = () =>
  Flags.string({
    description: "the engine's unix socket",
    env: 'BOXLAB_SOCKET',
    default: DEFAULT_ENGINE_SOCKET,
  });
