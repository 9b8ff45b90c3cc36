// What every `boxlab lab ...` command shares: the flags, the learner's session context (progress
// store, labs root, language) and the sandbox guest for --provider. Commands stay thin on top of it.
import { Flags } from '@oclif/core';
import { pickLang } from '../core/lang.js';
import { defaultLabsRoot } from '../labs/lab-loader.js';
import type { LabSessionContext } from '../labs/lab-session.js';
import { defaultBoxlabHome, defaultLearner, ProgressStore } from '../labs/progress-store.js';
import path from 'node:path';
import type { Guest } from '../vm/guest.js';
import { DEFAULT_SANDBOX_VM, GUEST_PROVIDERS, guestForProvider } from '../vm/providers/local/local-guest.js';

export const labFlags = {
  lang: Flags.string({ description: 'language of the lab text', options: ['en', 'zh'] }),
  labs: Flags.string({ description: 'folder that holds the labs', env: 'BOXLAB_LABS' }),
};

export const providerFlag = () =>
  Flags.string({ description: 'sandbox that runs the lab scripts: local (this host, no VM boundary) or a vm (see --vm, boxlab up)', options: [...GUEST_PROVIDERS], default: 'local', env: 'BOXLAB_PROVIDER' });

/** the sandbox vm for a vm provider; commands without the flag read BOXLAB_VM */
export const vmFlag = () => Flags.string({ description: 'sandbox vm for --provider qemu|multipass|ssh', default: DEFAULT_SANDBOX_VM, env: 'BOXLAB_VM' });

export function labContext(flags: { lang?: string; labs?: string }): LabSessionContext {
  const ctx: LabSessionContext = {
    store: new ProgressStore(path.join(defaultBoxlabHome(), 'progress.db')),
    learner: defaultLearner(),
    labsRoot: flags.labs ?? defaultLabsRoot(),
    lang: pickLang(flags.lang),
  };
  if (process.env.BOXLAB_LAB_DIR) {
    const dir = process.env.BOXLAB_LAB_DIR;
    ctx.workDir = () => dir;
  }
  return ctx;
}

export function labGuest(provider: string, vm: string = process.env.BOXLAB_VM || DEFAULT_SANDBOX_VM): Guest {
  return guestForProvider(provider, (m) => process.stderr.write(m + '\n'), vm);
}
